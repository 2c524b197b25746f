import { phaseHandler } from '../core/lambda/handler.js';
import { RecordTicketInput, recordTicket } from './index.js';

export const handler = phaseHandler(RecordTicketInput, recordTicket);
