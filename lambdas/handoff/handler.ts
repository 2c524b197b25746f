import { phaseHandler } from '../core/lambda/handler.js';
import { HandoffInput, handoff } from './index.js';

export const handler = phaseHandler(HandoffInput, handoff);
