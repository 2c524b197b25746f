import { phaseHandler } from '../core/lambda/handler.js';
import { bounded } from '../core/phase-outputs.js';
import { SynthesizeInput, synthesize } from './index.js';

export const handler = phaseHandler(SynthesizeInput, bounded('synthesize', synthesize));
