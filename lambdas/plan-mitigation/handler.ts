import { bounded } from '../../domain/flow/phase-outputs.js';
import { phaseHandler } from '../../runtime/handler.js';
import { PlanMitigationInput, planMitigation } from './index.js';

export const handler = phaseHandler(PlanMitigationInput, bounded('plan-mitigation', planMitigation));
