import { phaseHandler } from '../core/lambda/handler.js';
import { EscalateInput, escalate } from './index.js';

export const handler = phaseHandler(EscalateInput, escalate);
