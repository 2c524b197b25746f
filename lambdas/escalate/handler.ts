import { phaseHandler } from '../core/lambda/handler.js';
import { bounded } from '../core/phase-outputs.js';
import { EscalateInput, escalate } from './index.js';

export const handler = phaseHandler(EscalateInput, bounded('escalate', escalate));
