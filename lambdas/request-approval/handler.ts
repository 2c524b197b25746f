import { phaseHandler } from '../core/lambda/handler.js';
import { bounded } from '../core/phase-outputs.js';
import { RequestApprovalInput, requestApproval } from './index.js';

export const handler = phaseHandler(RequestApprovalInput, bounded('request-approval', requestApproval));
