import { phaseHandler } from '../core/lambda/handler.js';
import { bounded } from '../core/phase-outputs.js';
import { InvestigateInput, investigate } from './index.js';

export const handler = phaseHandler(InvestigateInput, bounded('investigate', investigate));
