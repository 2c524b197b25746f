import { phaseHandler } from '../core/lambda/handler.js';
import { SynthesizeInput, synthesize } from './index.js';

export const handler = phaseHandler(SynthesizeInput, synthesize);
