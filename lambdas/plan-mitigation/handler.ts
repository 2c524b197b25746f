import { phaseHandler } from '../core/lambda/handler.js';
import { bounded } from '../core/phase-outputs.js';
import { PlanMitigationInput, planMitigation } from './index.js';

export const handler = phaseHandler(PlanMitigationInput, bounded('plan-mitigation', planMitigation));
