import { phaseHandler } from '../core/lambda/handler.js';
import { RecordFailureInput, recordFailure } from './index.js';

export const handler = phaseHandler(RecordFailureInput, recordFailure);
