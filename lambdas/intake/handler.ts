import { bounded } from '../../domain/flow/phase-outputs.js';
import { phaseHandler } from '../../runtime/handler.js';
import { IntakeInput, intake } from './index.js';

export const handler = phaseHandler(IntakeInput, bounded('intake', intake));
