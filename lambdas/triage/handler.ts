import { bounded } from '../../domain/flow/phase-outputs.js';
import { phaseHandler } from '../../runtime/handler.js';
import { TriageInput, triage } from './index.js';

export const handler = phaseHandler(TriageInput, bounded('triage', triage));
