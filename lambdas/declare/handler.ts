import { phaseHandler } from '../core/lambda/handler.js';
import { DeclareInput, declare } from './index.js';

export const handler = phaseHandler(DeclareInput, declare);
