import { bounded } from '../../domain/flow/phase-outputs.js';
import { phaseHandler } from '../../runtime/handler.js';
import { ResolveInput, resolve } from './index.js';

export const handler = phaseHandler(ResolveInput, bounded('resolve', resolve));
