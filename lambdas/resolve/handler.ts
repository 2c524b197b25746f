import { phaseHandler } from '../core/lambda/handler.js';
import { bounded } from '../core/phase-outputs.js';
import { ResolveInput, resolve } from './index.js';

export const handler = phaseHandler(ResolveInput, bounded('resolve', resolve));
