/**
 * The offline analyst: deterministic incident reasoning over the Evidence port, no network.
 * It keeps the pipeline useful when no model is reachable and is the fallback for every model step.
 *
 * Every step reads the same snapshot of evidence for the investigation window and runs the same
 * detectors (onset, change correlation, log signatures, saturation, dependency health, security,
 * noise), so triage, each specialist and synthesis agree with each other and cite the same ids.
 */
import { BUILTIN_KNOWLEDGE } from '../../knowledge/builtin.js';
import type { KnowledgeEntry } from '../../knowledge/schema.js';
import { priorsFor } from '../../memory/priors.js';
import { servicesOf } from '../../memory/records.js';
import type { Finding, RootCause, Specialist } from '../../model.js';
import type { Analyst, AnalystResult, Evidence, InvestigationContext, TriageDecision } from '../../ports.js';
import { type Analysis, analyze } from './analysis.js';
import { gather } from './evidence/gather.js';
import type { Candidate } from './rank/candidate.js';
import { candidates } from './rank/candidates.js';
import { finding } from './rank/findings.js';
import { applyPriors } from './rank/priors.js';
import { synthesize } from './rank/synthesize.js';
import { triage } from './triage.js';

export interface OfflineAnalystOptions {
  /** How many investigations to keep analysed in memory (one per incident and window). */
  cacheSize?: number;
  /** Failure signatures to match; defaults to the built-in library (knowledge/entries). */
  knowledge?: readonly KnowledgeEntry[];
}

interface Analysed {
  analysis: Analysis;
  ranked: Candidate[];
}

export class OfflineAnalyst implements Analyst {
  readonly name = 'offline';
  private readonly cache = new Map<string, Promise<Analysed>>();

  constructor(
    private readonly evidence: Evidence,
    private readonly opts: OfflineAnalystOptions = {},
  ) {}

  async triage(ctx: InvestigationContext): Promise<AnalystResult<TriageDecision>> {
    const { analysis, ranked } = await this.analysed(ctx);
    return { value: triage(analysis, ranked[0]) };
  }

  async investigate(specialist: Specialist, ctx: InvestigationContext): Promise<AnalystResult<Finding>> {
    const { analysis, ranked } = await this.analysed(ctx);
    return { value: finding(specialist, analysis, await this.withPriors(ranked, ctx)) };
  }

  async synthesize(findings: Finding[], ctx: InvestigationContext): Promise<AnalystResult<RootCause>> {
    const { analysis, ranked } = await this.analysed(ctx);
    return { value: synthesize(analysis, await this.withPriors(ranked, ctx), findings) };
  }

  /**
   * Responders' verdicts on similar past incidents, applied to this analysis's candidates (triage
   * goes without: severity is measured, not remembered). Without memory the ranking is unchanged.
   */
  private async withPriors(ranked: Candidate[], ctx: InvestigationContext): Promise<Candidate[]> {
    const similar = await ctx.recall?.();
    if (!similar?.matches.length) return ranked;
    return applyPriors(ranked, priorsFor(similar.matches, servicesOf(ctx.incident)), ctx.incident.detectedAt);
  }

  /** One evidence read and analysis per incident and window, shared by the steps of a run. */
  private analysed(ctx: InvestigationContext): Promise<Analysed> {
    const key = `${ctx.incident.id}|${ctx.incident.service ?? ''}|${ctx.window.from}|${ctx.window.to}|${ctx.alerts.length}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const run = gather(this.evidence, ctx).then((snap) => {
      const analysis = analyze(snap, this.opts.knowledge ?? BUILTIN_KNOWLEDGE);
      return { analysis, ranked: candidates(analysis) };
    });
    run.catch(() => this.cache.delete(key));
    this.cache.set(key, run);
    const limit = this.opts.cacheSize ?? 8;
    while (this.cache.size > limit) this.cache.delete(this.cache.keys().next().value as string);
    return run;
  }
}
