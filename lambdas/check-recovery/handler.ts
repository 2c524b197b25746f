import { phaseHandler } from '../core/lambda/handler.js';
import { CheckRecoveryInput, checkRecovery } from './index.js';

export const handler = phaseHandler(CheckRecoveryInput, checkRecovery);
