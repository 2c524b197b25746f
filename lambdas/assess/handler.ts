import { phaseHandler } from '../core/lambda/handler.js';
import { bounded } from '../core/phase-outputs.js';
import { AssessInput, assess } from './index.js';

export const handler = phaseHandler(AssessInput, bounded('assess', assess));
