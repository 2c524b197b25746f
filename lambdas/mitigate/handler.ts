import { phaseHandler } from '../core/lambda/handler.js';
import { bounded } from '../core/phase-outputs.js';
import { MitigateInput, mitigate } from './index.js';

export const handler = phaseHandler(MitigateInput, bounded('mitigate', mitigate));
