import { phaseHandler } from '../core/lambda/handler.js';
import { bounded } from '../core/phase-outputs.js';
import { TriageInput, triage } from './index.js';

export const handler = phaseHandler(TriageInput, bounded('triage', triage));
