import { bounded } from '../../domain/flow/phase-outputs.js';
import { phaseHandler } from '../../runtime/handler.js';
import { InvestigateInput, investigate } from './index.js';

export const handler = phaseHandler(InvestigateInput, bounded('investigate', investigate));
