import { phaseHandler } from '../core/lambda/handler.js';
import { bounded } from '../core/phase-outputs.js';
import { DeclareInput, declare } from './index.js';

export const handler = phaseHandler(DeclareInput, bounded('declare', declare));
