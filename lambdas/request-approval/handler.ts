import { bounded } from '../../domain/flow/phase-outputs.js';
import { phaseHandler } from '../../runtime/handler.js';
import { RequestApprovalInput, requestApproval } from './index.js';

export const handler = phaseHandler(RequestApprovalInput, bounded('request-approval', requestApproval));
