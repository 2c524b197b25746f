import { bounded } from '../../domain/flow/phase-outputs.js';
import { phaseHandler } from '../../runtime/handler.js';
import { DeclareInput, declare } from './index.js';

export const handler = phaseHandler(DeclareInput, bounded('declare', declare));
