import { bounded } from '../../domain/flow/phase-outputs.js';
import { phaseHandler } from '../../runtime/handler.js';
import { CheckRecoveryInput, checkRecovery } from './index.js';

export const handler = phaseHandler(CheckRecoveryInput, bounded('check-recovery', checkRecovery));
