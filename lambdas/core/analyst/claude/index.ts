/**
 * The Claude analyst: triage and six specialists on a fast model, synthesis and the postmortem on a
 * stronger one, each a bounded tool-use loop over the Evidence port. Every step that cannot produce a
 * valid, grounded answer — refusal, invalid output, an ungrounded proposal, 429/529/5xx after the
 * SDK's retries, a timeout, an exhausted budget — is answered by the offline analyst instead and
 * returned `degraded: true`, with the tokens already spent.
 */
import type { Finding, Incident, RootCause, Specialist, TimelineEvent, TokenUsage } from '../../model.js';
import type { Analyst, AnalystResult, Evidence, InvestigationContext, TriageDecision } from '../../ports.js';
import { MODEL_STEP_DEADLINE_MS, type ModelStep } from '../deadlines.js';
import type { MessagesClient } from './client.js';
import { postmortemBrief, specialistBrief, synthesisBrief, triageBrief } from './context.js';
import { classify, ModelStepError } from './errors.js';
import { groundAction, groundTriage, knownIds } from './grounding.js';
import { runLoop } from './loop.js';
import { ClaudeOptions, type ClaudeOptionsInput } from './options.js';
import {
  POSTMORTEM_PROMPT,
  SPECIALIST_TOOLS,
  SUBMIT,
  SYNTHESIS_PROMPT,
  SYNTHESIS_TOOLS,
  specialistSystem,
  TRIAGE_PROMPT,
  TRIAGE_TOOLS,
} from './prompts.js';
import { FindingOutput, RootCauseOutput, TriageOutput } from './schemas.js';
import { runTextCall } from './text-call.js';
import { ToolExecutor, type ToolName, toolDefinitions } from './tools.js';

export interface ClaudeAnalystDeps {
  client: MessagesClient;
  evidence: Evidence;
  /** Answers any step the model cannot: the offline analyst over the same evidence. */
  fallback: Analyst;
  options?: ClaudeOptionsInput;
  /** Told about every model call (model, wall time, usage): for logs and the benchmark. */
  onCall?: (info: {
    step: string;
    model: string;
    ms: number;
    usage: TokenUsage;
    stop: string | null;
  }) => void;
  /** Told about every fallback, with its reason. */
  onDegraded?: (info: { step: string; reason: string; message: string }) => void;
}

export class ClaudeAnalyst implements Analyst {
  readonly name = 'claude';
  readonly options: ClaudeOptions;

  constructor(private readonly deps: ClaudeAnalystDeps) {
    this.options = ClaudeOptions.parse(deps.options ?? {});
  }

  async triage(ctx: InvestigationContext): Promise<AnalystResult<TriageDecision>> {
    // The deterministic triage is the baseline the model may refine but not overturn. It runs beside
    // the model call, not before it, so it adds nothing to the step's latency.
    const baseline = this.deps.fallback.triage(ctx);
    baseline.catch(() => undefined);
    return this.attempt(
      'triage',
      async () => {
        const out = await this.loop('triage', ctx, {
          model: this.options.fastModel,
          system: TRIAGE_PROMPT,
          tools: TRIAGE_TOOLS,
          prompt: triageBrief(ctx),
          submit: { name: SUBMIT.triage, description: 'Submit the triage decision.', schema: TriageOutput },
          maxSteps: this.options.triageSteps,
        });
        const { decision, notes } = groundTriage(out.value, (await baseline).value, ctx);
        const rationale = notes.length ? `${decision.rationale} (${notes.join('; ')})` : decision.rationale;
        return { value: { ...decision, rationale }, usage: out.usage };
      },
      async (reason) => {
        const fb = await baseline;
        return {
          ...fb,
          value: { ...fb.value, rationale: `${fb.value.rationale} (model step failed: ${reason})` },
        };
      },
    );
  }

  async investigate(specialist: Specialist, ctx: InvestigationContext): Promise<AnalystResult<Finding>> {
    return this.attempt(
      `specialist:${specialist}`,
      async () => {
        const out = await this.loop(`specialist:${specialist}`, ctx, {
          model: this.options.fastModel,
          system: specialistSystem(specialist),
          tools: SPECIALIST_TOOLS[specialist],
          prompt: specialistBrief(specialist, ctx),
          submit: {
            name: SUBMIT.finding,
            description: 'Submit your finding: hypotheses best first, each citing evidence ids.',
            schema: FindingOutput,
          },
          maxSteps: this.options.specialistSteps,
        });
        const seen = out.seen;
        const finding: Finding = {
          specialist,
          status: 'ok',
          hypotheses: out.value.hypotheses.map((h) => {
            const evidence = knownIds(h.evidence, seen);
            // A hypothesis with nothing behind it keeps its place but not its confidence.
            return {
              ...h,
              evidence,
              confidence: evidence.length ? h.confidence : Math.min(h.confidence, 0.3),
            };
          }),
          ruledOut: out.value.ruledOut,
          notes: out.value.notes,
        };
        return { value: finding, usage: out.usage };
      },
      async (reason) => {
        const fb = await this.deps.fallback.investigate(specialist, ctx);
        return {
          ...fb,
          value: {
            ...fb.value,
            notes: [...fb.value.notes, `model step failed (${reason}); offline analysis used`],
          },
        };
      },
    );
  }

  async synthesize(findings: Finding[], ctx: InvestigationContext): Promise<AnalystResult<RootCause>> {
    // What changed in the window, read while the model thinks: a proposed action is checked against it.
    const changes = this.deps.evidence.changes({ ...ctx.window });
    changes.catch(() => undefined);
    return this.attempt(
      'synthesis',
      async () => {
        const out = await this.loop('synthesis', ctx, {
          model: this.options.strongModel,
          system: SYNTHESIS_PROMPT,
          tools: SYNTHESIS_TOOLS,
          prompt: synthesisBrief(findings, ctx),
          submit: {
            name: SUBMIT.rootCause,
            description: 'Submit the root cause and the first mitigation to propose (or null).',
            schema: RootCauseOutput,
          },
          maxSteps: this.options.synthesisSteps,
        });
        // Ids the specialists cited were checked in their own steps; the rest must be seen here.
        const known = new Set([
          ...out.seen,
          ...findings.flatMap((f) => f.hypotheses.flatMap((h) => h.evidence)),
        ]);
        const rc = out.value;
        if (rc.mitigation) {
          const changed = await changes.catch((err: unknown) => {
            throw new ModelStepError('error', `cannot check the proposal: ${String(err)}`, out.usage);
          });
          const verdict = groundAction(rc.mitigation, ctx, changed);
          if (!verdict.ok) {
            throw new ModelStepError(
              'ungrounded',
              `proposed action not supported by the evidence: ${verdict.reason}`,
              out.usage,
            );
          }
        }
        const value: RootCause = { ...rc, evidence: knownIds(rc.evidence, known), degraded: false };
        return { value, usage: out.usage };
      },
      async (reason) => {
        // The model's conclusion was an alternative too: say why it was set aside.
        const fb = await this.deps.fallback.synthesize(findings, ctx);
        return {
          ...fb,
          value: { ...fb.value, ruledOut: [...fb.value.ruledOut, `model synthesis set aside (${reason})`] },
        };
      },
    );
  }

  async writePostmortem(incident: Incident, timeline: TimelineEvent[]): Promise<AnalystResult<string>> {
    try {
      const out = await runTextCall({
        client: this.deps.client,
        model: this.options.strongModel,
        system: POSTMORTEM_PROMPT,
        prompt: postmortemBrief(incident, timeline),
        maxOutputTokens: this.options.postmortemOutputTokens,
        timeoutMs: this.deadlineMs('postmortem'),
        minChars: 200,
      });
      return { value: out.text, usage: out.usage };
    } catch (err) {
      const failure = classify(err);
      this.deps.onDegraded?.({ step: 'postmortem', reason: failure.reason, message: failure.message });
      // Degraded: the postmortem phase writes its template from the record instead.
      return { value: '', degraded: true, usage: failure.usage };
    }
  }

  /** How long a step may take, retries included, before the offline analyst answers it. */
  deadlineMs(step: ModelStep): number {
    return this.options.stepTimeoutMs ?? MODEL_STEP_DEADLINE_MS[step];
  }

  private async loop<T>(
    step: string,
    ctx: InvestigationContext,
    spec: {
      model: string;
      system: string;
      tools: ToolName[];
      prompt: string;
      submit: { name: string; description: string; schema: import('zod').ZodType<T> };
      maxSteps: number;
    },
  ) {
    const executor = new ToolExecutor(this.deps.evidence, ctx, spec.tools, this.options);
    const out = await runLoop({
      client: this.deps.client,
      model: spec.model,
      system: spec.system,
      tools: toolDefinitions(spec.tools),
      executor,
      submit: spec.submit,
      prompt: spec.prompt,
      maxSteps: spec.maxSteps,
      tokenBudget: this.options.tokenBudget,
      maxOutputTokens: this.options.maxOutputTokens,
      timeoutMs: this.deadlineMs(step.startsWith('specialist:') ? 'specialist' : (step as ModelStep)),
      onCall: (info) => this.deps.onCall?.({ step, ...info }),
    });
    return { ...out, seen: executor.seen };
  }

  /** Runs a model step; on any failure, the fallback answers, marked degraded, with tokens spent so far. */
  private async attempt<T>(
    step: string,
    run: () => Promise<{ value: T; usage: TokenUsage }>,
    fallback: (reason: string) => Promise<AnalystResult<T>>,
  ): Promise<AnalystResult<T>> {
    try {
      const { value, usage } = await run();
      return { value, usage };
    } catch (err) {
      const failure = classify(err);
      this.deps.onDegraded?.({ step, reason: failure.reason, message: failure.message });
      const fb = await fallback(`${failure.reason}: ${failure.message}`);
      return { value: fb.value, degraded: true, usage: failure.usage ?? fb.usage };
    }
  }
}
