import { bounded } from '../../domain/flow/phase-outputs.js';
import { phaseHandler } from '../../runtime/handler.js';
import { RecordFailureInput, recordFailure } from './index.js';

export const handler = phaseHandler(RecordFailureInput, bounded('record-failure', recordFailure));
