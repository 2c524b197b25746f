import { phaseHandler } from '../core/lambda/handler.js';
import { MitigateInput, mitigate } from './index.js';

export const handler = phaseHandler(MitigateInput, mitigate);
