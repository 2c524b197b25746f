/**
 * What each phase's Lambda is given: its time and memory, and the capabilities its code uses.
 * Every grant in the pipeline comes from this table, so least privilege is reviewable in one place.
 *
 * Every phase reads and writes the table: each appends to the incident's timeline (timeline.ts) and
 * every phase that informs people records the delivery there too.
 */
import type { PhaseKey } from '../lambdas/phases.js';

export interface PhaseProfile {
  /** Lambda timeout; the pipeline checks it is below the Task state's TimeoutSeconds. */
  timeoutSeconds: number;
  memoryMb: number;
  /** Publishes to the status-update topic (notifyAudiences). */
  publishes: boolean;
  /** Reads CloudWatch metrics and alarms, Logs Insights and CloudTrail (the Evidence port). */
  evidence: boolean;
  /** Calls the analyst, which may use Claude (Anthropic API key secret or Bedrock). */
  analyst: boolean;
  /**
   * Allow-listed mitigation actions (only those enabled in configuration, on mapped resources):
   * `read` for PlanMitigation's dry-run preview, `write` for Mitigate, which changes things.
   */
  mitigation: 'none' | 'read' | 'write';
  /** Signs approval links (the approval-link key and the endpoint's URL). */
  signsApprovalLinks: boolean;
}

const base: PhaseProfile = {
  timeoutSeconds: 30,
  memoryMb: 256,
  publishes: false,
  evidence: false,
  analyst: false,
  mitigation: 'none',
  signsApprovalLinks: false,
};

export const PHASE_PROFILES: Record<PhaseKey, PhaseProfile> = {
  // Opens the incident for a console start; reads only the service catalog (configuration).
  IntakeFunctionArn: { ...base },
  // A fast-model call whose tools read telemetry (the offline analyst reads it too).
  TriageFunctionArn: { ...base, timeoutSeconds: 55, memoryMb: 512, analyst: true, evidence: true },
  // Estimates when impact began from the service's metrics, then tells people.
  DeclareFunctionArn: { ...base, publishes: true, evidence: true },
  // One specialist: a bounded tool-use loop over telemetry, the longest-running phase.
  InvestigateFunctionArn: { ...base, timeoutSeconds: 280, memoryMb: 1024, evidence: true, analyst: true },
  // A strong-model call over the findings, checking recent changes.
  SynthesizeFunctionArn: { ...base, timeoutSeconds: 280, memoryMb: 512, analyst: true, evidence: true },
  // Change correlation and blast radius from alarms and CloudTrail.
  AssessFunctionArn: { ...base, timeoutSeconds: 55, memoryMb: 512, evidence: true },
  // Vets the suggested fix against recent changes (CloudTrail) before putting it on the ticket.
  RecordTicketFunctionArn: { ...base, evidence: true },
  // Reads recent changes for targets and previews the action as a dry run against the resource.
  PlanMitigationFunctionArn: {
    ...base,
    timeoutSeconds: 55,
    evidence: true,
    publishes: true,
    mitigation: 'read',
  },
  RequestApprovalFunctionArn: { ...base, publishes: true, signsApprovalLinks: true },
  // AWS control-plane calls that can take a while (ECS deployments, AppConfig).
  MitigateFunctionArn: { ...base, timeoutSeconds: 280, publishes: true, mitigation: 'write' },
  // Alarm state and recent metrics.
  CheckRecoveryFunctionArn: { ...base, timeoutSeconds: 55, evidence: true },
  StatusUpdateFunctionArn: { ...base, publishes: true },
  EscalateFunctionArn: { ...base, publishes: true },
  ResolveFunctionArn: { ...base, publishes: true },
  HandoffFunctionArn: { ...base, publishes: true },
  // A strong-model narrative over the timeline (template fallback); impact onset from metrics.
  PostmortemFunctionArn: { ...base, timeoutSeconds: 280, memoryMb: 512, analyst: true, evidence: true },
  RecordFailureFunctionArn: { ...base, publishes: true },
};
