/**
 * What the offline analyst makes of the evidence, read once per incident and window, for the model
 * steps: the onset, the ranked candidate causes (a baseline for the model to confirm or refute), and
 * the snapshot that grounding checks conclusions against. The offline analyst's modules are used
 * read-only; this file is the one place that knows their shape.
 */

import { BUILTIN_KNOWLEDGE, type KnowledgeEntry } from '../../knowledge/index.js';
import type { Evidence, InvestigationContext } from '../../ports.js';
import { analyze } from '../offline/analysis.js';
import { gather } from '../offline/evidence/gather.js';
import type { Candidate } from '../offline/rank/candidate.js';
import { candidates } from '../offline/rank/candidates.js';
import { buildFacts, type Facts } from './grounding/index.js';
import { entriesMatched, type KnowledgeMatch } from './knowledge.js';

export interface Baseline {
  /** When the incident began, from the evidence. */
  onset: string;
  /** The service the incident is about, as the offline analyst resolved it. */
  service?: string;
  ranked: Candidate[];
  facts: Facts;
  /** Failure-knowledge entries the evidence matches, most specific first. */
  knowledge: KnowledgeMatch[];
}

export async function readBaseline(
  evidence: Evidence,
  ctx: InvestigationContext,
  knowledge: readonly KnowledgeEntry[] = BUILTIN_KNOWLEDGE,
): Promise<Baseline> {
  const snap = await gather(evidence, ctx);
  const analysis = analyze(snap, knowledge);
  return {
    onset: analysis.onset,
    service: snap.service,
    ranked: candidates(analysis),
    knowledge: entriesMatched(analysis.knowledge),
    facts: buildFacts({
      ctx,
      onset: analysis.onset,
      metrics: snap.metrics,
      logs: snap.logs,
      changes: snap.changes,
      alarms: snap.alarms,
      security: snap.security,
    }),
  };
}

/** One baseline per incident and window, shared by the steps of a run (a few incidents kept). */
export class BaselineCache {
  private readonly cache = new Map<string, Promise<Baseline>>();
  constructor(
    private readonly evidence: Evidence,
    private readonly knowledge: readonly KnowledgeEntry[] = BUILTIN_KNOWLEDGE,
    private readonly size = 8,
  ) {}

  get(ctx: InvestigationContext): Promise<Baseline> {
    const key = `${ctx.incident.id}|${ctx.incident.service ?? ''}|${ctx.window.from}|${ctx.window.to}|${ctx.alerts.length}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const run = readBaseline(this.evidence, ctx, this.knowledge);
    run.catch(() => this.cache.delete(key));
    this.cache.set(key, run);
    while (this.cache.size > this.size) this.cache.delete(this.cache.keys().next().value as string);
    return run;
  }
}
