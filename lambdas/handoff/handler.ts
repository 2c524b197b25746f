import { phaseHandler } from '../core/lambda/handler.js';
import { bounded } from '../core/phase-outputs.js';
import { HandoffInput, handoff } from './index.js';

export const handler = phaseHandler(HandoffInput, bounded('handoff', handoff));
