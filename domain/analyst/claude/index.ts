/**
 * The Claude analyst: triage and six specialists on a fast model, synthesis and the postmortem on a
 * stronger one, each a bounded tool-use loop over the Evidence port. Every step that cannot produce a
 * valid, grounded answer — refusal, invalid output, an ungrounded proposal, 429/529/5xx after the
 * SDK's retries, a timeout, an exhausted budget — is answered by the offline analyst instead and
 * returned `degraded: true`, with the tokens already spent.
 *
 * Slightly over 300 lines: the class is the one place the four steps (triage, specialist, synthesis,
 * postmortem) share their loop, grounding and fallback, and reads best whole.
 */
import { BUILTIN_KNOWLEDGE, type KnowledgeEntry } from '../../knowledge/index.js';
import type { Finding, Incident, RootCause, Specialist, TimelineEvent, TokenUsage } from '../../model.js';
import type { Analyst, AnalystResult, Evidence, InvestigationContext, TriageDecision } from '../../ports.js';
import { MODEL_STEP_DEADLINE_MS, type ModelStep } from '../deadlines.js';
import { type Baseline, BaselineCache } from './baseline.js';
import type { MessagesClient } from './client.js';
import { postmortemBrief, specialistBrief, synthesisBrief, triageBrief } from './context.js';
import { classify, ModelStepError } from './errors.js';
import {
  DEFAULT_ACTION_BOUNDS,
  type FactItem,
  groundAction,
  groundConclusion,
  groundTriage,
  withSeen,
} from './grounding/index.js';
import { type CallInfo, runLoop } from './loop.js';
import { withSimilarTool } from './memory-tool.js';
import { ClaudeOptions, type ClaudeOptionsInput, type ModelProfile } from './options.js';
import {
  POSTMORTEM_PROMPT,
  SPECIALIST_FOCUS,
  SPECIALIST_SYSTEM,
  SPECIALIST_TOOLS,
  SUBMIT,
  SYNTHESIS_PROMPT,
  SYNTHESIS_TOOLS,
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
  /** The failure-knowledge library (the built-in entries unless a deployment adds its own). */
  knowledge?: readonly KnowledgeEntry[];
  /** Told about every model call (model, wall time, usage): for logs and the benchmark. */
  onCall?: (info: CallInfo & { step: string }) => void;
  /** Told about every fallback, with its reason. */
  onDegraded?: (info: { step: string; reason: string; message: string }) => void;
}

export class ClaudeAnalyst implements Analyst {
  readonly name = 'claude';
  readonly options: ClaudeOptions;
  private readonly baselines: BaselineCache;

  constructor(private readonly deps: ClaudeAnalystDeps) {
    this.options = ClaudeOptions.parse(deps.options ?? {});
    this.baselines = new BaselineCache(deps.evidence, deps.knowledge ?? BUILTIN_KNOWLEDGE);
  }

  /** The offline analysis of the evidence: the onset, ranked candidates and the facts grounding checks. */
  private baseline(ctx: InvestigationContext): Promise<Baseline> {
    return this.baselines.get(ctx).catch((err: unknown) => {
      throw new ModelStepError('error', `cannot read the evidence: ${String(err).slice(0, 200)}`);
    });
  }

  async triage(ctx: InvestigationContext): Promise<AnalystResult<TriageDecision>> {
    // The deterministic triage is the baseline the model may refine but not overturn. It runs beside
    // the model call, not before it, so it adds nothing to the step's latency.
    const baseline = this.deps.fallback.triage(ctx);
    baseline.catch(() => undefined);
    return this.attempt(
      'triage',
      async () => {
        const base = await this.baseline(ctx);
        const out = await this.loop('triage', ctx, {
          model: this.options.fastModel,
          profile: this.options.fastProfile,
          system: TRIAGE_PROMPT,
          tools: TRIAGE_TOOLS,
          prompt: triageBrief(ctx, base),
          submit: { name: SUBMIT.triage, description: 'Submit the triage decision.', schema: TriageOutput },
          maxSteps: this.options.triageSteps,
        });
        const { decision, notes } = groundTriage(
          out.value,
          (await baseline).value,
          ctx,
          out.seen,
          base.facts,
        );
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
        const base = await this.baseline(ctx);
        const out = await this.loop(`specialist:${specialist}`, ctx, {
          model: this.options.fastModel,
          profile: this.options.fastProfile,
          system: SPECIALIST_SYSTEM,
          tools: SPECIALIST_TOOLS[specialist],
          prompt: specialistBrief(specialist, SPECIALIST_FOCUS[specialist], ctx, base),
          submit: {
            name: SUBMIT.finding,
            description: 'Submit your finding: hypotheses best first, each citing evidence ids.',
            schema: FindingOutput,
          },
          maxSteps: this.options.specialistSteps,
        });
        const facts = withSeen(base.facts, out.seenItems.values());
        const kept: Finding['hypotheses'] = [];
        const setAside: string[] = [];
        for (const h of out.value.hypotheses) {
          const grounded = groundConclusion(h, out.seen, facts);
          if (grounded.setAside) setAside.push(`${h.category} (${h.culprit || '-'}): ${grounded.setAside}`);
          else kept.push(grounded.value);
        }
        if (setAside.length && !kept.length) {
          throw new ModelStepError(
            'ungrounded',
            `every hypothesis was set aside: ${setAside.join('; ').slice(0, 600)}`,
            out.usage,
          );
        }
        const finding: Finding = {
          specialist,
          status: 'ok',
          hypotheses: kept,
          ruledOut: [...out.value.ruledOut, ...setAside.map((r) => `set aside by grounding: ${r}`)],
          notes: [
            ...out.value.notes,
            ...(setAside.length
              ? [`${setAside.length} model hypothesis(es) set aside by grounding (see ruled out)`]
              : []),
          ],
        };
        // Something the model concluded did not hold: the finding stands on what survived, marked.
        return { value: finding, usage: out.usage, degraded: setAside.length > 0 };
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
    return this.attempt(
      'synthesis',
      async () => {
        const base = await this.baseline(ctx);
        const out = await this.loop('synthesis', ctx, {
          model: this.options.strongModel,
          profile: this.options.strongProfile,
          system: SYNTHESIS_PROMPT,
          tools: SYNTHESIS_TOOLS,
          prompt: synthesisBrief(findings, ctx, base),
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
        const facts = withSeen(base.facts, out.seenItems.values());
        const grounded = groundConclusion(out.value, known, facts);
        const rc = grounded.value;
        // Both the conclusion and the action are checked, so the record says everything that failed.
        const problems = grounded.setAside ? [`conclusion not supported: ${grounded.setAside}`] : [];
        if (rc.mitigation) {
          const cited = rc.evidence.map((id) => facts.items.get(id)).filter((i): i is FactItem => !!i);
          const verdict = groundAction(rc.mitigation, facts, cited, {
            ...DEFAULT_ACTION_BOUNDS,
            maxScaleFactor: this.options.maxScaleFactor,
          });
          if (!verdict.ok) problems.push(`proposed action not supported by the evidence: ${verdict.reason}`);
        }
        if (problems.length) throw new ModelStepError('ungrounded', problems.join('; '), out.usage);
        const value: RootCause = { ...rc, degraded: false };
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
      profile: ModelProfile;
      system: string;
      tools: ToolName[];
      prompt: string;
      submit: { name: string; description: string; schema: import('zod').ZodType<T> };
      maxSteps: number;
    },
  ) {
    const tools = withSimilarTool(step, spec.tools, ctx);
    const executor = new ToolExecutor(
      this.deps.evidence,
      ctx,
      tools,
      this.options,
      this.deps.knowledge ?? BUILTIN_KNOWLEDGE,
    );
    const out = await runLoop({
      client: this.deps.client,
      model: spec.model,
      system: spec.system,
      tools: toolDefinitions(tools),
      executor,
      submit: spec.submit,
      prompt: spec.prompt,
      maxSteps: spec.maxSteps,
      tokenBudget: this.options.tokenBudget,
      maxOutputTokens: spec.profile.maxOutputTokens,
      thinking: spec.profile.thinking,
      effort: spec.profile.effort,
      contextTokens: spec.profile.contextTokens,
      maxToolCallsPerTurn: this.options.maxToolCallsPerTurn,
      maxResultCharsPerTurn: this.options.maxResultCharsPerTurn,
      timeoutMs: this.deadlineMs(step.startsWith('specialist:') ? 'specialist' : (step as ModelStep)),
      onCall: (info) => this.deps.onCall?.({ step, ...info }),
    });
    return { ...out, seen: executor.seen, seenItems: executor.seenItems };
  }

  /** Runs a model step; on any failure, the fallback answers, marked degraded, with tokens spent so far. */
  private async attempt<T>(
    step: string,
    run: () => Promise<{ value: T; usage: TokenUsage; degraded?: boolean }>,
    fallback: (reason: string) => Promise<AnalystResult<T>>,
  ): Promise<AnalystResult<T>> {
    try {
      const { value, usage, degraded } = await run();
      return degraded ? { value, usage, degraded } : { value, usage };
    } catch (err) {
      const failure = classify(err);
      this.deps.onDegraded?.({ step, reason: failure.reason, message: failure.message });
      const fb = await fallback(`${failure.reason}: ${failure.message}`);
      return { value: fb.value, degraded: true, usage: failure.usage ?? fb.usage };
    }
  }
}
