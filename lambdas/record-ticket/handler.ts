import { phaseHandler } from '../core/lambda/handler.js';
import { bounded } from '../core/phase-outputs.js';
import { RecordTicketInput, recordTicket } from './index.js';

export const handler = phaseHandler(RecordTicketInput, bounded('record-ticket', recordTicket));
