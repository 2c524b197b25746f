/**
 * Every phase of the flow, keyed by the ASL placeholder that names its Lambda
 * (`${TriageFunctionArn}`). The CDK stack makes one function per entry; the local runner maps each
 * Task state to the same phase function. One code path per phase, whichever engine runs it.
 */
import type * as z from 'zod';
import { bounded } from '../domain/flow/phase-outputs.js';
import type { Ports } from '../domain/ports.js';
import { AssessInput, assess } from './assess/index.js';
import { CheckRecoveryInput, checkRecovery } from './check-recovery/index.js';
import { DeclareInput, declare } from './declare/index.js';
import { EscalateInput, escalate } from './escalate/index.js';
import { HandoffInput, handoff } from './handoff/index.js';
import { IntakeInput, intake } from './intake/index.js';
import { InvestigateInput, investigate } from './investigate/index.js';
import { MitigateInput, mitigate } from './mitigate/index.js';
import { PlanMitigationInput, planMitigation } from './plan-mitigation/index.js';
import { PostmortemInput, postmortem } from './postmortem/index.js';
import { RecordFailureInput, recordFailure } from './record-failure/index.js';
import { RecordTicketInput, recordTicket } from './record-ticket/index.js';
import { RequestApprovalInput, requestApproval } from './request-approval/index.js';
import { ResolveInput, resolve } from './resolve/index.js';
import { StatusUpdateInput, statusUpdate } from './status-update/index.js';
import { SynthesizeInput, synthesize } from './synthesize/index.js';
import { TriageInput, triage } from './triage/index.js';

export interface Phase<S extends z.ZodType = z.ZodType> {
  /** Folder under lambdas/ holding index.ts (the phase) and handler.ts (its Lambda). */
  dir: string;
  input: S;
  run: (input: z.infer<S>, ports: Ports) => Promise<unknown>;
}

// Every result is bounded on the way out (core/phase-outputs.ts), as the Lambda handlers do.
const phase = <S extends z.ZodType>(
  dir: string,
  input: S,
  run: (i: z.infer<S>, p: Ports) => Promise<unknown>,
) => ({ dir, input, run: bounded(dir, run) }) as Phase;

export const PHASES = {
  IntakeFunctionArn: phase('intake', IntakeInput, intake),
  TriageFunctionArn: phase('triage', TriageInput, triage),
  DeclareFunctionArn: phase('declare', DeclareInput, declare),
  InvestigateFunctionArn: phase('investigate', InvestigateInput, investigate),
  SynthesizeFunctionArn: phase('synthesize', SynthesizeInput, synthesize),
  AssessFunctionArn: phase('assess', AssessInput, assess),
  RecordTicketFunctionArn: phase('record-ticket', RecordTicketInput, recordTicket),
  PlanMitigationFunctionArn: phase('plan-mitigation', PlanMitigationInput, planMitigation),
  RequestApprovalFunctionArn: phase('request-approval', RequestApprovalInput, (i, p) =>
    requestApproval(i, p),
  ),
  MitigateFunctionArn: phase('mitigate', MitigateInput, mitigate),
  CheckRecoveryFunctionArn: phase('check-recovery', CheckRecoveryInput, checkRecovery),
  StatusUpdateFunctionArn: phase('status-update', StatusUpdateInput, statusUpdate),
  EscalateFunctionArn: phase('escalate', EscalateInput, escalate),
  ResolveFunctionArn: phase('resolve', ResolveInput, resolve),
  HandoffFunctionArn: phase('handoff', HandoffInput, handoff),
  PostmortemFunctionArn: phase('postmortem', PostmortemInput, postmortem),
  RecordFailureFunctionArn: phase('record-failure', RecordFailureInput, recordFailure),
} satisfies Record<string, Phase>;

export type PhaseKey = keyof typeof PHASES;
