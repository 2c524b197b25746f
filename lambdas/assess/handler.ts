import { phaseHandler } from '../core/lambda/handler.js';
import { AssessInput, assess } from './index.js';

export const handler = phaseHandler(AssessInput, assess);
