import { bounded } from '../../domain/flow/phase-outputs.js';
import { phaseHandler } from '../../runtime/handler.js';
import { EscalateInput, escalate } from './index.js';

export const handler = phaseHandler(EscalateInput, bounded('escalate', escalate));
