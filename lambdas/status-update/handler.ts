import { bounded } from '../../domain/flow/phase-outputs.js';
import { phaseHandler } from '../../runtime/handler.js';
import { StatusUpdateInput, statusUpdate } from './index.js';

export const handler = phaseHandler(StatusUpdateInput, bounded('status-update', statusUpdate));
