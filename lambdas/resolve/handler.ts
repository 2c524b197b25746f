import { phaseHandler } from '../core/lambda/handler.js';
import { ResolveInput, resolve } from './index.js';

export const handler = phaseHandler(ResolveInput, resolve);
