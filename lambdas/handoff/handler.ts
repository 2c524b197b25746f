import { bounded } from '../../domain/flow/phase-outputs.js';
import { phaseHandler } from '../../runtime/handler.js';
import { HandoffInput, handoff } from './index.js';

export const handler = phaseHandler(HandoffInput, bounded('handoff', handoff));
