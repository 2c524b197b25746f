import { phaseHandler } from '../core/lambda/handler.js';
import { bounded } from '../core/phase-outputs.js';
import { RecordFailureInput, recordFailure } from './index.js';

export const handler = phaseHandler(RecordFailureInput, bounded('record-failure', recordFailure));
