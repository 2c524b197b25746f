import { phaseHandler } from '../core/lambda/handler.js';
import { bounded } from '../core/phase-outputs.js';
import { IntakeInput, intake } from './index.js';

export const handler = phaseHandler(IntakeInput, bounded('intake', intake));
