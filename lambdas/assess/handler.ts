import { bounded } from '../../domain/flow/phase-outputs.js';
import { phaseHandler } from '../../runtime/handler.js';
import { AssessInput, assess } from './index.js';

export const handler = phaseHandler(AssessInput, bounded('assess', assess));
