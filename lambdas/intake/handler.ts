import { phaseHandler } from '../core/lambda/handler.js';
import { IntakeInput, intake } from './index.js';

export const handler = phaseHandler(IntakeInput, intake);
