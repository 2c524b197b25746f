import { bounded } from '../../domain/flow/phase-outputs.js';
import { phaseHandler } from '../../runtime/handler.js';
import { MitigateInput, mitigate } from './index.js';

export const handler = phaseHandler(MitigateInput, bounded('mitigate', mitigate));
