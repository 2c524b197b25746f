import { phaseHandler } from '../core/lambda/handler.js';
import { PlanMitigationInput, planMitigation } from './index.js';

export const handler = phaseHandler(PlanMitigationInput, planMitigation);
