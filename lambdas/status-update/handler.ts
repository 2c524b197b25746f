import { phaseHandler } from '../core/lambda/handler.js';
import { bounded } from '../core/phase-outputs.js';
import { StatusUpdateInput, statusUpdate } from './index.js';

export const handler = phaseHandler(StatusUpdateInput, bounded('status-update', statusUpdate));
