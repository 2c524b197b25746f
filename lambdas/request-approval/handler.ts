import { phaseHandler } from '../core/lambda/handler.js';
import { RequestApprovalInput, requestApproval } from './index.js';

export const handler = phaseHandler(RequestApprovalInput, requestApproval);
