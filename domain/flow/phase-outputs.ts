/**
 * What each phase may put into the execution state, bounded. Step Functions refuses a state over
 * 256 KB with States.DataLimitExceeded, which no Catch (not even States.ALL) can handle: the
 * execution fails and nobody is told (Step Functions developer guide, "Step Functions service
 * quotas": maximum input or output size for a task, state or execution, 256 KB of UTF-8). Findings,
 * hypotheses, notes and evidence ids are model text and flow through the Map into Synthesize, so
 * every list and every string a phase returns is capped here; the whole incident stays in DynamoDB,
 * the state carries only what the flow routes on and a summary. test/lambdas/flow/state-size.test.ts
 * serializes the largest state these bounds allow and checks it stays under 200 KB.
 *
 * Text and lists are clamped (a long summary is cut, not an error); structure that the flow or the
 * approval check compares — ids, the proposed action — is refused when out of bounds instead, since
 * a cut action would no longer be the one that was approved.
 */
import * as z from 'zod';
import { describeIssues, ValidationError } from '../errors.js';
import { Category, MitigationAction, Severity, SPECIALISTS, Specialist, TokenUsage } from '../model.js';
import { IncidentId, Monitor } from './phase-io.js';

export const OUTPUT_LIMITS = {
  /** Characters of a service, culprit or other name. */
  name: 100,
  /** Characters of a reason, preview or impact statement. */
  summary: 1_000,
  /** Characters of a hypothesis's summary (six specialists' findings travel together). */
  hypothesisSummary: 400,
  /** Characters of one note, ruled-out line or change line. */
  line: 200,
  /** Characters of an evidence id; a longer one is dropped, since a cut id cites nothing. */
  evidenceId: 200,
  services: 20,
  hypotheses: 4,
  evidencePerHypothesis: 5,
  ruledOut: 5,
  notes: 5,
  recentChanges: 20,
  rollbackCandidates: 20,
  blastRadius: 50,
  /** The proposed action: parameters and their values, and its rationale (refused beyond, never cut). */
  actionParams: 20,
  actionValue: 200,
  rationale: 2_000,
} as const;

const L = OUTPUT_LIMITS;

// Control characters other than tab and newline serialize as six-byte \u escapes; as spaces, no
// character of a clamped string costs more than three bytes of UTF-8 JSON.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** A string cut to `max` characters (the last one an ellipsis when cut), control characters blanked. */
export const clampText = (max: number) =>
  z.string().transform((s) => {
    const clean = s.replace(CONTROL, ' ');
    return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
  });
/** A list cut to its first `max` items. */
export const clampList = <T extends z.ZodType>(item: T, max: number) =>
  z.array(item).transform((items) => items.slice(0, max));

const BoundedHypothesis = z.object({
  category: Category,
  culprit: clampText(L.name).default(''),
  summary: clampText(L.hypothesisSummary),
  confidence: z.number().min(0).max(1),
  evidence: z
    .array(z.string())
    .transform((ids) =>
      ids
        .filter((id) => id.length <= L.evidenceId && id.replace(CONTROL, '') === id)
        .slice(0, L.evidencePerHypothesis),
    )
    .default([]),
  /** Failure-knowledge entry ids: short, and as many as the evidence ids. */
  signatures: clampList(clampText(L.name), L.evidencePerHypothesis).optional(),
});

export const BoundedAction = MitigationAction.extend({
  target: z.string().min(1).max(L.name),
  params: z
    .record(z.string().max(64), z.union([z.string().max(L.actionValue), z.number(), z.boolean()]))
    .refine((p) => Object.keys(p).length <= L.actionParams, `at most ${L.actionParams} parameters`)
    .default({}),
  rationale: z.string().max(L.rationale).default(''),
});

export const IntakeOutput = z.strictObject({ incidentId: IncidentId });

export const TriageOutput = z.strictObject({
  severity: Severity,
  specialists: z.array(Specialist).max(SPECIALISTS.length),
  services: clampList(clampText(L.name), L.services),
  updateCadenceSeconds: z.number().int().nonnegative(),
  checkIntervalSeconds: z.number().int().positive(),
  /** Re-triage: whether severity rose, from what, and why (Raised? reads these). */
  raised: z.boolean().optional(),
  alertsSeen: z.number().int().nonnegative().optional(),
  firingSeen: z.number().int().nonnegative().optional(),
  from: Severity.optional(),
  reason: clampText(L.summary).optional(),
});

/** One specialist's finding, as the Map collects it for Synthesize. */
export const InvestigateOutput = z.strictObject({
  specialist: Specialist,
  status: z.enum(['ok', 'degraded', 'failed']),
  hypotheses: clampList(BoundedHypothesis, L.hypotheses).default([]),
  ruledOut: clampList(clampText(L.line), L.ruledOut).default([]),
  notes: clampList(clampText(L.line), L.notes).default([]),
  usage: TokenUsage.optional(),
});

export const SynthesizeOutput = z.strictObject({
  category: Category,
  culprit: clampText(L.name),
  confidence: z.number().min(0).max(1),
});

export const AssessOutput = z.strictObject({
  blastRadius: clampList(clampText(L.name), L.blastRadius),
  recentChanges: clampList(clampText(L.line), L.recentChanges),
  rollbackCandidates: clampList(
    z.object({
      service: clampText(L.name),
      version: clampText(L.name),
      previousVersion: clampText(L.name).optional(),
    }),
    L.rollbackCandidates,
  ),
  userImpact: clampText(L.summary),
});

export const PlanMitigationOutput = z.strictObject({
  proposed: z.boolean(),
  action: BoundedAction.optional(),
  next: z.string().max(20),
  reason: clampText(L.summary).optional(),
  preview: clampText(L.summary).optional(),
});

export const RequestApprovalOutput = z.strictObject({
  requested: z.boolean(),
  expiresAt: z.string().max(40),
});

export const MitigateOutput = z.strictObject({ status: z.string().max(20) });

export const MonitorOutput = z.strictObject({ ...Monitor.shape, alarm: clampText(L.name).optional() });

export const PostmortemOutput = z.strictObject({
  path: z.string().max(1024).nullable(),
  author: clampText(L.name),
});

/** The bound on each phase's output, by the phase's folder under lambdas/. Absent: its result is discarded (ResultPath null). */
export const PHASE_OUTPUTS: Record<string, z.ZodType> = {
  intake: IntakeOutput,
  triage: TriageOutput,
  investigate: InvestigateOutput,
  synthesize: SynthesizeOutput,
  assess: AssessOutput,
  'plan-mitigation': PlanMitigationOutput,
  'request-approval': RequestApprovalOutput,
  mitigate: MitigateOutput,
  'check-recovery': MonitorOutput,
  'status-update': MonitorOutput,
  postmortem: PostmortemOutput,
};

/**
 * A phase's result as the state may hold it: clamped, or a ValidationError naming what is out of
 * bounds. Outputs are strict: a field added to a phase's result without a bound here fails loudly in
 * the flow tests rather than growing the state unchecked.
 */
export function boundOutput(dir: string, value: unknown): unknown {
  const schema = PHASE_OUTPUTS[dir];
  if (!schema) return value;
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new ValidationError(
      `the ${dir} phase's output is out of bounds`,
      describeIssues(parsed.error.issues),
    );
  }
  return parsed.data;
}

/** A phase function whose result is bounded on the way out (the Lambda handlers and the local runner both use it). */
export const bounded =
  <I, P, R>(dir: string, run: (input: I, ports: P) => Promise<R>) =>
  async (input: I, ports: P): Promise<unknown> =>
    boundOutput(dir, await run(input, ports));
