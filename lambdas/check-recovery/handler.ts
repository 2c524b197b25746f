import { phaseHandler } from '../core/lambda/handler.js';
import { bounded } from '../core/phase-outputs.js';
import { CheckRecoveryInput, checkRecovery } from './index.js';

export const handler = phaseHandler(CheckRecoveryInput, bounded('check-recovery', checkRecovery));
