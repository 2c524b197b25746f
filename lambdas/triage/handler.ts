import { phaseHandler } from '../core/lambda/handler.js';
import { TriageInput, triage } from './index.js';

export const handler = phaseHandler(TriageInput, triage);
