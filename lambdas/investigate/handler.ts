import { phaseHandler } from '../core/lambda/handler.js';
import { InvestigateInput, investigate } from './index.js';

export const handler = phaseHandler(InvestigateInput, investigate);
