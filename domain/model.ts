/**
 * The incident domain: what every phase, adapter and entry point agrees on.
 * Schemas are zod so that anything crossing a boundary (a Lambda payload, a CLI file,
 * a model's answer) is parsed, never trusted.
 */
import * as z from 'zod';

export const SEVERITIES = ['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const;
export const Severity = z.enum(SEVERITIES);
export type Severity = z.infer<typeof Severity>;

/** Lifecycle of an incident. TICKETED is the SEV4 path: recorded for the backlog, nobody paged. */
export const IncidentStatus = z.enum(['TRIAGE', 'ACTIVE', 'MITIGATED', 'RESOLVED', 'TICKETED', 'CANCELLED']);
export type IncidentStatus = z.infer<typeof IncidentStatus>;
export const OPEN_STATUSES: readonly IncidentStatus[] = ['TRIAGE', 'ACTIVE', 'MITIGATED', 'TICKETED'];

export const ALERT_SOURCES = [
  'cloudwatch-eventbridge',
  'cloudwatch-sns',
  'cloudwatch-lambda-action',
  'pagerduty-v3',
  'alertmanager',
  'grafana',
  'manual',
] as const;
export const AlertSource = z.enum(ALERT_SOURCES);
export type AlertSource = z.infer<typeof AlertSource>;

export const CATEGORIES = [
  'deployment',
  'configuration',
  'capacity',
  'dependency',
  'database',
  'network',
  'security',
  'code',
  'healthy',
] as const;
/** Root-cause categories, plus `unknown` for when the evidence does not support a conclusion. */
export const Category = z.enum([...CATEGORIES, 'unknown']);
export type Category = z.infer<typeof Category>;

export const SPECIALISTS = ['logs', 'metrics', 'changes', 'dependencies', 'security', 'performance'] as const;
export const Specialist = z.enum(SPECIALISTS);
export type Specialist = z.infer<typeof Specialist>;

export const ACTION_KINDS = [
  'rollback',
  'scale',
  'restart',
  'feature-flag',
  'failover',
  'block-traffic',
  'rotate-credentials',
] as const;
export const ActionKind = z.enum(ACTION_KINDS);
export type ActionKind = z.infer<typeof ActionKind>;

export const AUDIENCES = [
  'oncall',
  'stakeholders',
  'executives',
  'team-lead',
  'engineering-manager',
] as const;
export const Audience = z.enum(AUDIENCES);
export type Audience = z.infer<typeof Audience>;

/** One alert as every source is reduced to. `raw` keeps the delivery for the record. */
export const NormalizedAlert = z.object({
  source: AlertSource,
  sourceEventId: z.string().min(1),
  fingerprint: z.string().min(1),
  status: z.enum(['firing', 'resolved', 'info']),
  title: z.string(),
  description: z.string().default(''),
  service: z.string().optional(),
  resources: z.array(z.string()).default([]),
  severityHint: Severity.optional(),
  /** The source's severity word when the mapping table does not know it (triage records it). */
  severityWord: z.string().max(40).optional(),
  startedAt: z.string(),
  /** The AWS region the source names (a CloudWatch alarm's), where AWS's own services are read. */
  region: z.string().optional(),
  links: z.array(z.string()).default([]),
  labels: z.record(z.string(), z.string()).default({}),
  raw: z.unknown(),
});
export type NormalizedAlert = z.infer<typeof NormalizedAlert>;

export const EvidenceRef = z.string().min(1);

export const Hypothesis = z.object({
  category: Category,
  culprit: z.string().default(''),
  summary: z.string(),
  confidence: z.number().min(0).max(1),
  evidence: z.array(EvidenceRef).default([]),
  /** Ids of the failure-knowledge entries the evidence matched (knowledge/entries). */
  signatures: z.array(z.string()).optional(),
});
export type Hypothesis = z.infer<typeof Hypothesis>;

/** What one specialist concluded. `status: degraded` means it ran without its model. */
export const Finding = z.object({
  specialist: Specialist,
  status: z.enum(['ok', 'degraded', 'failed']),
  hypotheses: z.array(Hypothesis).default([]),
  ruledOut: z.array(z.string()).default([]),
  notes: z.array(z.string()).default([]),
});
export type Finding = z.infer<typeof Finding>;

export const MitigationAction = z.object({
  kind: ActionKind,
  target: z.string().min(1),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  rationale: z.string().default(''),
});
export type MitigationAction = z.infer<typeof MitigationAction>;

export const RootCause = z.object({
  category: Category,
  culprit: z.string().default(''),
  summary: z.string(),
  causalChain: z.array(z.string()).default([]),
  confidence: z.number().min(0).max(1),
  evidence: z.array(EvidenceRef).default([]),
  ruledOut: z.array(z.string()).default([]),
  mitigation: MitigationAction.nullable().default(null),
  degraded: z.boolean().default(false),
  /** Ids of the failure-knowledge entries the cited evidence matched (knowledge/entries). */
  signatures: z.array(z.string()).optional(),
});
export type RootCause = z.infer<typeof RootCause>;

export const Assessment = z.object({
  blastRadius: z.array(z.string()).default([]),
  recentChanges: z.array(z.string()).default([]),
  rollbackCandidates: z
    .array(z.object({ service: z.string(), version: z.string(), previousVersion: z.string().optional() }))
    .default([]),
  userImpact: z.string().default(''),
});
export type Assessment = z.infer<typeof Assessment>;

export const MitigationRecord = z.object({
  action: MitigationAction,
  status: z.enum([
    'proposed',
    'awaiting-approval',
    'approved',
    'rejected',
    'applied',
    'dry-run',
    'failed',
    'timed-out',
  ]),
  approvedBy: z.string().optional(),
  decidedAt: z.string().optional(),
  appliedAt: z.string().optional(),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
  detail: z.string().default(''),
});
export type MitigationRecord = z.infer<typeof MitigationRecord>;

export const TokenUsage = z.object({
  input: z.number().int().nonnegative().default(0),
  cachedInput: z.number().int().nonnegative().default(0),
  output: z.number().int().nonnegative().default(0),
});
export type TokenUsage = z.infer<typeof TokenUsage>;

/** A follow-up from the postmortem: owned, dated, and tracked until closed. */
export const ActionItem = z.object({
  id: z.string().regex(/^AI-\d{1,3}$/),
  title: z.string().min(1).max(300),
  owner: z.string().min(1).max(100),
  due: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  status: z.enum(['open', 'closed']).default('open'),
  closedAt: z.string().optional(),
});
export type ActionItem = z.infer<typeof ActionItem>;

/** Responders' verdict on the analyst's root cause (`firebreak review`). */
export const Review = z.object({
  verdict: z.enum(['correct', 'partly', 'wrong']),
  by: z.string(),
  at: z.string(),
  /** The 100/65/35/0 scale: correct, partly with the right category, partly otherwise, wrong. */
  score: z.number().int().min(0).max(100),
  note: z.string().optional(),
  /** The cause as responders confirmed or corrected it; absent when a wrong verdict names none. */
  confirmed: z
    .object({ category: Category, culprit: z.string().default(''), summary: z.string().default('') })
    .optional(),
});
export type Review = z.infer<typeof Review>;

/**
 * The user impact triage measured: what every message says about how bad it is. Severity is a
 * routing decision (a critical service with minor impact is still SEV2); impact is the measurement.
 */
export const MeasuredImpact = z.object({
  level: z.enum(['none', 'minor', 'major', 'outage', 'unknown']),
  /** The measurement in words ("checkout: 4.1% of requests failing"). */
  summary: z.string().max(500).default(''),
  /** The services that showed the failure (anomalies, alarms, new errors), not the whole blast radius. */
  failing: z.array(z.string()).default([]),
});
export type MeasuredImpact = z.infer<typeof MeasuredImpact>;

export const Incident = z.object({
  id: z.string(),
  status: IncidentStatus,
  severity: Severity.optional(),
  title: z.string(),
  service: z.string().optional(),
  services: z.array(z.string()).default([]),
  fingerprint: z.string(),
  source: AlertSource,
  executionArn: z.string().optional(),
  detectedAt: z.string(),
  declaredAt: z.string().optional(),
  acknowledgedAt: z.string().optional(),
  mitigatedAt: z.string().optional(),
  resolvedAt: z.string().optional(),
  updatedAt: z.string(),
  rootCause: RootCause.optional(),
  mitigation: MitigationRecord.optional(),
  escalationTier: z.number().int().nonnegative().default(0),
  failure: z.object({ state: z.string(), error: z.string(), cause: z.string() }).optional(),
  postmortem: z.string().optional(),
  tokenUsage: TokenUsage.optional(),
  /** When users were first affected (metric onset), if the evidence shows it: the start of time to detect. */
  impactStartedAt: z.string().optional(),
  /** Triage's latest measurement of user impact. */
  impact: MeasuredImpact.optional(),
  /** Follow-ups from the postmortem. */
  actionItems: z.array(ActionItem).optional(),
  review: Review.optional(),
});
export type Incident = z.infer<typeof Incident>;

export const TimelineEvent = z.object({
  at: z.string(),
  type: z.string(),
  actor: z.string(),
  text: z.string(),
  data: z.unknown().optional(),
});
export type TimelineEvent = z.infer<typeof TimelineEvent>;
