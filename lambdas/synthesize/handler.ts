import { bounded } from '../../domain/flow/phase-outputs.js';
import { phaseHandler } from '../../runtime/handler.js';
import { SynthesizeInput, synthesize } from './index.js';

export const handler = phaseHandler(SynthesizeInput, bounded('synthesize', synthesize));
