import { phaseHandler } from '../core/lambda/handler.js';
import { StatusUpdateInput, statusUpdate } from './index.js';

export const handler = phaseHandler(StatusUpdateInput, statusUpdate);
