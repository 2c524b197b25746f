/**
 * Response policy: who hears what and when, what may run, how long to wait.
 * One schema for every engine: the CDK stack passes it to Lambdas as FIREBREAK_CONFIG,
 * the local runner builds it from defaults and flags.
 */
import * as z from 'zod';
import { ResourceMap } from './actions/resources.js';
import { describeIssues, ValidationError } from './errors.js';
import { ActionKind, type Audience, type Severity } from './model.js';
import { RedactionPolicy } from './redaction/policy.js';

const SeverityPolicy = z.object({
  /** Who receives declared/update/all-clear messages. */
  audiences: z.array(z.enum(['oncall', 'stakeholders', 'executives'])),
  /** Seconds between status updates; 0 = none. */
  updateCadenceSeconds: z.number().int().nonnegative(),
  /** Minutes after declaration at which each escalation tier is paged. */
  escalation: z.array(
    z.object({
      afterMinutes: z.number().int().positive(),
      audience: z.enum(['team-lead', 'engineering-manager', 'executives']),
    }),
  ),
});
export type SeverityPolicy = z.infer<typeof SeverityPolicy>;

const tiers = [
  { afterMinutes: 15, audience: 'team-lead' as const },
  { afterMinutes: 30, audience: 'engineering-manager' as const },
];

export const FirebreakConfig = z.object({
  severity: z
    .object({
      SEV1: SeverityPolicy,
      SEV2: SeverityPolicy,
      SEV3: SeverityPolicy,
      SEV4: SeverityPolicy,
    })
    .default({
      SEV1: {
        audiences: ['oncall', 'stakeholders', 'executives'],
        updateCadenceSeconds: 900,
        escalation: [...tiers, { afterMinutes: 60, audience: 'executives' }],
      },
      SEV2: { audiences: ['oncall', 'stakeholders'], updateCadenceSeconds: 1800, escalation: tiers },
      SEV3: { audiences: ['oncall'], updateCadenceSeconds: 3600, escalation: tiers },
      SEV4: { audiences: [], updateCadenceSeconds: 0, escalation: [] },
    }),
  /** Seconds between recovery checks in the monitor loop. */
  checkIntervalSeconds: z.number().int().min(10).default(300),
  /** Consecutive healthy checks before the service counts as recovered. */
  healthyChecksToResolve: z.number().int().min(1).default(2),
  /** A SEV4 ticket whose alarm still fires this long after detection is re-triaged: raised, not watched. */
  ticketWatchMinutes: z.number().int().min(5).default(15),
  /** After this long unrecovered the automation hands off to humans (the incident stays open). */
  monitorDeadlineMinutes: z.number().int().min(5).default(120),
  /** How long an approval request waits for a decision. Also the ASL TimeoutSeconds. */
  approvalTimeoutSeconds: z.number().int().min(60).default(900),
  /** Actions that may execute after approval. Everything else is proposed only. */
  enabledActions: z.array(ActionKind).default([]),
  /** Severities at which an enabled action still needs a human's approval. */
  approvalRequiredFor: z.array(z.enum(['SEV1', 'SEV2', 'SEV3', 'SEV4'])).default(['SEV1', 'SEV2', 'SEV3']),
  /** Run enabled actions as dry-runs only (records before/after intent, changes nothing). */
  dryRun: z.boolean().default(false),
  links: z.object({ console: z.string().optional(), runbooks: z.string().optional() }).default({}),
  /** Which AWS resource each action target names (domain/actions/resources.ts). */
  resources: ResourceMap.default({}),
  /** Lifetime of a signed approval link; capped by approvalTimeoutSeconds (defaults to it). */
  approvalLinkTtlSeconds: z.number().int().min(60).optional(),
  /** What is masked before evidence reaches a model, a message or the store (domain/redaction/). */
  redaction: RedactionPolicy,
  /** Similar past incidents: how far back to look and how much one lookup may read (domain/memory/). */
  memory: z
    .object({
      horizonDays: z.number().int().min(1).max(3650).default(90),
      perPartition: z.number().int().min(1).max(100).default(10),
      limit: z.number().int().min(1).max(20).default(5),
    })
    .default({ horizonDays: 90, perPartition: 10, limit: 5 }),
});
export type FirebreakConfig = z.infer<typeof FirebreakConfig>;

/** Parses configuration, failing with every problem named. */
export function parseConfig(input: unknown): FirebreakConfig {
  const parsed = FirebreakConfig.safeParse(input ?? {});
  if (!parsed.success) {
    throw new ValidationError('invalid Firebreak configuration', describeIssues(parsed.error.issues));
  }
  return parsed.data;
}

export const defaultConfig = (): FirebreakConfig => parseConfig({});

export function policyFor(config: FirebreakConfig, severity: Severity): SeverityPolicy {
  return config.severity[severity];
}

/** The escalation audience for a 1-based tier, or undefined past the last tier. */
export function escalationAudience(policy: SeverityPolicy, tier: number): Audience | undefined {
  return policy.escalation[tier - 1]?.audience;
}
