import { bounded } from '../../domain/flow/phase-outputs.js';
import { phaseHandler } from '../../runtime/handler.js';
import { RecordTicketInput, recordTicket } from './index.js';

export const handler = phaseHandler(RecordTicketInput, bounded('record-ticket', recordTicket));
