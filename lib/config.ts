/**
 * Deploy configuration: who hears what, how often, what may run, which model, how long data lives.
 * Parsed with zod at synth time, so a bad file stops `cdk synth` with every problem named before
 * anything reaches CloudFormation. The response policy part becomes the Lambdas' FIREBREAK_CONFIG
 * through the same schema the phases parse it with, so the two cannot disagree.
 *
 * Over 300 lines on purpose: it is the whole deploy-config schema, documented field by field, and
 * docs/deploy.md points readers at it as one document.
 */
import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { AwsCatalog } from '../adapters/aws/evidence/catalog.js';
import { ResourceMap } from '../domain/actions/resources.js';
import { FirebreakConfig } from '../domain/config.js';
import { describeIssues } from '../domain/errors.js';
import { IngestOptions } from '../domain/ingest/options.js';
import { ActionKind, AUDIENCES, type Audience, SEVERITIES, type Severity } from '../domain/model.js';
import { RedactionPolicy } from '../domain/redaction/policy.js';
import { readDefinitionText, taskMap } from '../statemachines/definition.js';

const SeverityName = z.enum(SEVERITIES);

/** E.164, the only number format SNS SMS accepts. */
const E164 = /^\+[1-9]\d{6,14}$/;

export const Subscriber = z
  .strictObject({
    email: z.email().optional(),
    sms: z
      .string()
      .regex(E164, 'SMS numbers are E.164: "+", country code and number, e.g. +15555550100')
      .optional(),
    /** Narrows what this one subscriber hears below what the audience receives (an executive on SEV1 only). */
    severities: z.array(SeverityName).min(1).optional(),
  })
  .refine((s) => Boolean(s.email) !== Boolean(s.sms), 'a subscriber has exactly one of "email" or "sms"');
export type Subscriber = z.infer<typeof Subscriber>;

const subscriberList = z.array(Subscriber).max(100).default([]);
const Subscribers = z
  .strictObject({
    oncall: subscriberList,
    stakeholders: subscriberList,
    executives: subscriberList,
    'team-lead': subscriberList,
    'engineering-manager': subscriberList,
  })
  .default({ oncall: [], stakeholders: [], executives: [], 'team-lead': [], 'engineering-manager': [] });

/** Minutes between status updates per severity; 0 = none. Overrides the response policy's cadence. */
const cadence = z
  .number()
  .int()
  .min(0)
  .max(24 * 60)
  .optional();
const Cadences = z.strictObject({ SEV1: cadence, SEV2: cadence, SEV3: cadence, SEV4: cadence }).default({});

/** Actions that have an AWS implementation and a permission set in the stack (lib/permissions.ts). */
export const DEPLOYABLE_ACTIONS = [
  'rollback',
  'scale',
  'restart',
  'feature-flag',
  'block-traffic',
  'rotate-credentials',
] as const;

const Mitigation = z
  .strictObject({
    /** Actions that may execute after approval. Default: none execute, every kind is still proposed. */
    enabledActions: z
      .array(ActionKind)
      .default([])
      .refine((kinds) => kinds.every((k) => (DEPLOYABLE_ACTIONS as readonly string[]).includes(k)), {
        message: `only ${DEPLOYABLE_ACTIONS.join(', ')} can be enabled in AWS: failover has no AWS implementation and can only be proposed`,
      }),
    /** Run enabled actions as dry-runs: record intent, change nothing. */
    dryRun: z.boolean().default(false),
  })
  .default({ enabledActions: [], dryRun: false });

const ANTHROPIC_MODEL = /^claude-[a-z0-9.-]{1,80}$/;
/** A Bedrock foundation-model id, optionally behind a cross-region inference profile prefix. */
const BEDROCK_MODEL = /^(?:(?:us|eu|apac|jp|au|ca|us-gov|global)\.)?anthropic\.claude-[A-Za-z0-9.:-]{1,100}$/;

const Model = z
  .discriminatedUnion('provider', [
    z.strictObject({
      provider: z.literal('anthropic'),
      fastModel: z
        .string()
        .regex(ANTHROPIC_MODEL, 'an Anthropic model id, e.g. claude-haiku-4-5')
        .default('claude-haiku-4-5'),
      strongModel: z
        .string()
        .regex(ANTHROPIC_MODEL, 'an Anthropic model id, e.g. claude-sonnet-4-5')
        .default('claude-sonnet-4-5'),
    }),
    z.strictObject({
      provider: z.literal('bedrock'),
      fastModel: z
        .string()
        .regex(
          BEDROCK_MODEL,
          'a Bedrock Anthropic model or inference-profile id, e.g. us.anthropic.claude-haiku-4-5-20251001-v1:0',
        ),
      strongModel: z
        .string()
        .regex(
          BEDROCK_MODEL,
          'a Bedrock Anthropic model or inference-profile id, e.g. us.anthropic.claude-sonnet-4-5-20250929-v1:0',
        ),
    }),
  ])
  .default({ provider: 'anthropic', fastModel: 'claude-haiku-4-5', strongModel: 'claude-sonnet-4-5' });

/** The ingest function's timeout (lib/ingestion.ts); claims must outlive it. */
export const INGEST_TIMEOUT_SECONDS = 30;

/** The retention periods CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const Retention = z
  .strictObject({
    /** Days Lambda, state machine and API logs are kept. */
    logDays: z
      .number()
      .int()
      .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
        message: `CloudWatch Logs keeps logs for one of ${LOG_RETENTION_DAYS.join(', ')} days`,
      })
      .default(30),
    /** Point-in-time recovery window of the incident table. */
    backupDays: z.number().int().min(1).max(35).default(35),
  })
  .default({ logDays: 30, backupDays: 35 });

const Api = z
  .strictObject({
    /** Steady-state requests per second the webhook and approval endpoint accept. */
    rateLimit: z.number().int().min(1).max(10_000).default(50),
    burstLimit: z.number().int().min(1).max(5_000).default(100),
  })
  .default({ rateLimit: 50, burstLimit: 100 });

/**
 * The web console (lib/console.ts), off unless this section is present. With `issuer` the HTTP API
 * accepts JWTs from that OIDC provider (its `audience` must name this app's client ids); without it
 * the stack creates a Cognito user pool (no self sign-up, MFA required) and accepts its tokens.
 */
const Console = z
  .strictObject({
    issuer: z
      .url()
      .refine((u) => u.startsWith('https://'), 'the OIDC issuer must be an https:// URL')
      .optional(),
    audience: z.array(z.string().min(1).max(256)).min(1).max(10).optional(),
  })
  .optional();

const Raw = z.strictObject({
  stackName: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9-]{0,100}$/, 'a CloudFormation stack name: letters, digits and hyphens')
    .default('Firebreak'),
  /** `retain` keeps the table and its key when the stack is deleted (production); `destroy` removes them. */
  removalPolicy: z.enum(['retain', 'destroy']).default('retain'),
  /** Defaults to true with `retain`, false with `destroy`. */
  deletionProtection: z.boolean().optional(),
  subscribers: Subscribers,
  cadenceMinutes: Cadences,
  mitigation: Mitigation,
  model: Model,
  retention: Retention,
  api: Api,
  console: Console,
  /** What each service is and where its telemetry lives: the only log groups investigators may query. */
  catalog: AwsCatalog.default({ services: [], security: { webAcls: [], consoleLogins: true } }),
  /** Which AWS resource each mitigation target names (domain/actions/resources.ts). */
  resources: ResourceMap.default({}),
  /** Grouping window, claim lifetimes, accepted SNS topics (domain/ingest/options.ts). */
  ingest: IngestOptions.default(IngestOptions.parse({})),
  /**
   * What is masked before evidence reaches a model, a message or the store: extra patterns, an
   * allow-list and the IP-address switch (domain/redaction/policy.ts, docs/redaction.md).
   */
  redaction: RedactionPolicy,
  /** Any other response-policy field (domain/config.ts): severity audiences, escalation, checks. */
  response: z.record(z.string(), z.unknown()).default({}),
});

export interface DeployConfig {
  stackName: string;
  removalPolicy: 'retain' | 'destroy';
  deletionProtection: boolean;
  subscribers: Record<Audience, Subscriber[]>;
  model: z.infer<typeof Model>;
  retention: z.infer<typeof Retention>;
  api: z.infer<typeof Api>;
  /** The web console: absent when not deployed; `issuer` absent means a Cognito user pool. */
  console?: { issuer?: string; audience?: string[] };
  catalog: AwsCatalog;
  ingest: IngestOptions;
  /** What the Lambdas receive as FIREBREAK_CONFIG. */
  runtime: FirebreakConfig;
}

/** For each action kind, the resource-map entries it can act on (runtime/actions.ts). */
const ACTS_ON: Record<
  (typeof DEPLOYABLE_ACTIONS)[number],
  Array<'lambda' | 'ecs' | 'appConfig' | 'waf' | 'secret'>
> = {
  rollback: ['lambda', 'ecs'],
  scale: ['lambda', 'ecs'],
  restart: ['ecs'],
  'feature-flag': ['appConfig'],
  'block-traffic': ['waf'],
  'rotate-credentials': ['secret'],
};

/** A configuration that cannot be deployed, with every problem on its own line. */
export class DeployConfigError extends Error {
  constructor(
    readonly source: string,
    readonly issues: string[],
  ) {
    super(`invalid Firebreak deploy configuration (${source}):\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'DeployConfigError';
  }
}

/** Severities at which an audience is sent anything, read from the response policy. */
export function audienceSeverities(runtime: FirebreakConfig, audience: Audience): Severity[] {
  return SEVERITIES.filter((sev) => {
    const policy = runtime.severity[sev];
    const paged = policy.audiences.length > 0 || policy.escalation.length > 0;
    // On-call also receives approval requests and automation failures, for every severity that pages anyone.
    if (audience === 'oncall') return paged;
    return (
      (policy.audiences as readonly string[]).includes(audience) ||
      policy.escalation.some((e) => e.audience === audience)
    );
  });
}

/** Severities one subscriber hears: the audience's, narrowed by the subscriber's own list. */
export function subscriberSeverities(
  runtime: FirebreakConfig,
  audience: Audience,
  s: Subscriber,
): Severity[] {
  const audienceLevels = audienceSeverities(runtime, audience);
  return s.severities ? audienceLevels.filter((sev) => s.severities?.includes(sev)) : audienceLevels;
}

/** The RequestApproval state's own timeout: the approval link must expire with the wait. */
function approvalWaitSeconds(): number | undefined {
  for (const task of taskMap(readDefinitionText()).values()) {
    if (task.waitForTaskToken && typeof task.state.TimeoutSeconds === 'number')
      return task.state.TimeoutSeconds;
  }
  return undefined;
}

/**
 * Step Functions quotas the flow must fit (Step Functions developer guide, "Step Functions service
 * quotas"): a Standard execution's history holds at most 25,000 events (past it the execution
 * fails), and the state machine's TimeoutSeconds ends it TIMED_OUT — with neither a hand-off nor a
 * postmortem, because no state runs after a timeout.
 */
export const SFN_HISTORY_LIMIT = 25_000;
/** One monitor loop: Wait (entered, exited), CheckRecovery (entered, scheduled, started, succeeded, exited), Recovered (entered, exited). */
export const EVENTS_PER_CHECK = 9;
/** One Lambda Task state that succeeds first time. */
const EVENTS_PER_TASK = 5;
/** Everything outside the monitor loop — intake to mitigation, the specialists' Map, the postmortem — and retries. */
const HISTORY_RESERVE = 1_000;
/** Time for everything outside the watch window and the approval wait (phases, retries, postmortem). */
const EXECUTION_RESERVE_SECONDS = 3_600;

/** The largest history a watched incident can build under this policy: every check, update and escalation. */
export function historyEstimate(runtime: FirebreakConfig): number {
  const watch = runtime.monitorDeadlineMinutes * 60;
  const checks = Math.ceil(watch / runtime.checkIntervalSeconds) + 1;
  const cadences = SEVERITIES.map((sev) => runtime.severity[sev].updateCadenceSeconds).filter((s) => s > 0);
  const updates = cadences.length ? Math.ceil(watch / Math.min(...cadences)) : 0;
  const escalations = Math.max(0, ...SEVERITIES.map((sev) => runtime.severity[sev].escalation.length));
  return HISTORY_RESERVE + checks * EVENTS_PER_CHECK + (updates + escalations) * EVENTS_PER_TASK;
}

/** The state machine's own TimeoutSeconds (the execution timeout). */
function executionTimeoutSeconds(): number | undefined {
  const timeout = (JSON.parse(readDefinitionText()) as { TimeoutSeconds?: unknown }).TimeoutSeconds;
  return typeof timeout === 'number' ? timeout : undefined;
}

/** Parses and cross-checks a deploy configuration; throws DeployConfigError naming every problem. */
export function parseDeployConfig(input: unknown, source = 'configuration'): DeployConfig {
  const raw = Raw.safeParse(input ?? {});
  if (!raw.success) throw new DeployConfigError(source, describeIssues(raw.error.issues));
  const c = raw.data;
  const issues: string[] = [];

  for (const [key, instead] of [
    ['enabledActions', 'mitigation.enabledActions'],
    ['dryRun', 'mitigation.dryRun'],
    ['resources', 'resources'],
    ['redaction', 'redaction'],
  ]) {
    if (key in c.response) issues.push(`response.${key}: set ${instead} instead`);
  }
  const parsedRuntime = FirebreakConfig.safeParse({
    ...c.response,
    enabledActions: c.mitigation.enabledActions,
    dryRun: c.mitigation.dryRun,
    resources: c.resources,
    redaction: c.redaction,
  });
  if (!parsedRuntime.success) {
    throw new DeployConfigError(
      source,
      describeIssues(parsedRuntime.error.issues).map((i) => (i.startsWith('enabled') ? i : `response.${i}`)),
    );
  }
  const base = parsedRuntime.data;
  const runtime: FirebreakConfig = {
    ...base,
    severity: Object.fromEntries(
      SEVERITIES.map((sev) => {
        const minutes = c.cadenceMinutes[sev];
        const policy = base.severity[sev];
        return [sev, minutes === undefined ? policy : { ...policy, updateCadenceSeconds: minutes * 60 }];
      }),
    ) as FirebreakConfig['severity'],
  };

  for (const sev of SEVERITIES) {
    const seconds = runtime.severity[sev].updateCadenceSeconds;
    if (seconds > 0 && seconds < runtime.checkIntervalSeconds) {
      issues.push(
        `cadenceMinutes.${sev}: ${seconds / 60} min is shorter than the recovery check interval (${runtime.checkIntervalSeconds / 60} min); updates are sent between checks`,
      );
    }
  }
  const wait = approvalWaitSeconds();
  if (wait !== undefined && runtime.approvalTimeoutSeconds !== wait) {
    issues.push(
      `response.approvalTimeoutSeconds: ${runtime.approvalTimeoutSeconds} must equal the RequestApproval state's TimeoutSeconds (${wait}) in statemachines/incident-response.asl.json`,
    );
  }
  const events = historyEstimate(runtime);
  if (events > SFN_HISTORY_LIMIT) {
    issues.push(
      `response.checkIntervalSeconds: checking every ${runtime.checkIntervalSeconds} s for ${runtime.monitorDeadlineMinutes} min builds up to ${events} execution history events; Step Functions fails an execution past ${SFN_HISTORY_LIMIT} (lengthen the interval or shorten monitorDeadlineMinutes)`,
    );
  }
  const timeout = executionTimeoutSeconds();
  const needed =
    runtime.monitorDeadlineMinutes * 60 +
    runtime.checkIntervalSeconds +
    runtime.approvalTimeoutSeconds +
    EXECUTION_RESERVE_SECONDS;
  if (timeout !== undefined && needed > timeout) {
    issues.push(
      `response.monitorDeadlineMinutes: ${runtime.monitorDeadlineMinutes} min of watching, the ${runtime.approvalTimeoutSeconds} s approval wait and ${EXECUTION_RESERVE_SECONDS / 60} min for the other phases exceed the execution timeout (${timeout} s in statemachines/incident-response.asl.json): the execution would end TIMED_OUT with no hand-off and no postmortem`,
    );
  }
  const entries = Object.values(runtime.resources);
  for (const kind of runtime.enabledActions) {
    const kinds = ACTS_ON[kind as keyof typeof ACTS_ON] ?? [];
    if (!entries.some((e) => kinds.some((k) => e[k]))) {
      issues.push(
        `mitigation.enabledActions: ${kind} is enabled but resources lists no ${kinds.join(' or ')} resource for it to act on`,
      );
    }
  }
  if (runtime.enabledActions.length) {
    const unguarded = (['SEV1', 'SEV2', 'SEV3'] as const).filter(
      (s) => !runtime.approvalRequiredFor.includes(s),
    );
    if (unguarded.length) {
      issues.push(
        `response.approvalRequiredFor: with actions enabled, ${unguarded.join(', ')} must still need a human's approval`,
      );
    }
  }
  for (const audience of AUDIENCES) {
    c.subscribers[audience].forEach((s, i) => {
      const where = `subscribers.${audience}.${i}`;
      if (!audienceSeverities(runtime, audience).length) {
        issues.push(
          `${where}: no severity sends anything to ${audience}, so this subscriber would never hear`,
        );
      } else if (!subscriberSeverities(runtime, audience, s).length) {
        issues.push(
          `${where}.severities: ${audience} only hears ${audienceSeverities(runtime, audience).join(', ')}, none of ${s.severities?.join(', ')}`,
        );
      }
    });
  }
  if (c.ingest.claimLeaseSeconds <= INGEST_TIMEOUT_SECONDS) {
    issues.push(
      `ingest.claimLeaseSeconds: ${c.ingest.claimLeaseSeconds} must exceed the ingest function's timeout (${INGEST_TIMEOUT_SECONDS} s), or a slow writer is taken for a dead one`,
    );
  }
  const deletionProtection = c.deletionProtection ?? c.removalPolicy === 'retain';
  if (c.removalPolicy === 'destroy' && deletionProtection) {
    issues.push(
      'deletionProtection: a protected table cannot be destroyed; set it false with removalPolicy "destroy"',
    );
  }
  if (c.console?.issuer && !c.console.audience)
    issues.push('console.audience: with an issuer, name the client ids its tokens must be issued to');
  if (c.console?.audience && !c.console.issuer)
    issues.push('console.audience: only with console.issuer (the Cognito pool names its own client)');
  if (issues.length) throw new DeployConfigError(source, issues);

  return {
    stackName: c.stackName,
    removalPolicy: c.removalPolicy,
    deletionProtection,
    subscribers: c.subscribers,
    model: c.model,
    retention: c.retention,
    api: c.api,
    ...(c.console ? { console: c.console } : {}),
    catalog: c.catalog,
    ingest: c.ingest,
    runtime,
  };
}

/** Reads a JSON configuration file; every way it can be wrong becomes a DeployConfigError. */
export function loadDeployConfig(path: string): DeployConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new DeployConfigError(path, [
      code === 'ENOENT' ? 'no such file' : `cannot read: ${code ?? String(err)}`,
    ]);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new DeployConfigError(path, [`not valid JSON: ${(err as Error).message}`]);
  }
  return parseDeployConfig(doc, path);
}
