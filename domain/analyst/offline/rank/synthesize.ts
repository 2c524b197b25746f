/**
 * Synthesis: one root cause from the ranked candidates and the specialists' findings. Findings
 * from another analyst (a model) can support a candidate or add one, but they never bring an
 * action: the mitigation always comes from this analyst's own evidence. Just under the confidence
 * bar the leading idea is the conclusion, marked unproven and with no action; further below the
 * answer is `unknown`, with the leading idea named as unproven.
 */
import type { Finding, RootCause } from '../../../model.js';
import type { Analysis } from '../analysis.js';
import { conf, fmtNumber, lower, uniq } from '../measure.js';
import type { Candidate } from './candidate.js';
import { MIN_CONFIDENCE, TENTATIVE_CONFIDENCE } from './candidates.js';

/** Evidence ids the snapshot actually contains: cited ids outside this set are dropped. */
function evidenceIds(a: Analysis): Set<string> {
  const s = a.snap;
  return new Set([
    ...s.metrics.map((m) => m.id),
    ...s.logs.map((l) => l.id),
    ...s.changes.map((c) => c.id),
    ...(s.olderChanges ?? []).map((c) => c.id),
    ...s.alarms.map((x) => x.id),
    ...s.security.map((x) => x.id),
  ]);
}

const same = (c: Candidate, h: { category: string; culprit: string }) =>
  c.category === h.category && !!h.culprit && lower(c.culprit) === lower(h.culprit);

/** Candidates adjusted by the findings: agreement adds a little, unknown hypotheses join weakly. */
export function weigh(a: Analysis, ranked: Candidate[], findings: Finding[]): Candidate[] {
  const known = evidenceIds(a);
  const out = ranked.map((c) => ({ ...c }));
  for (const f of findings) {
    for (const h of f.hypotheses) {
      if (h.category === 'unknown') continue;
      const match = out.find((c) => same(c, h));
      if (match) {
        match.confidence = conf(Math.max(match.confidence, Math.min(match.confidence + 0.03, h.confidence)));
        continue;
      }
      const evidence = h.evidence.filter((e) => known.has(e));
      if (!evidence.length) continue;
      out.push({
        category: h.category,
        culprit: h.culprit,
        summary: h.summary,
        causalChain: [],
        confidence: conf(h.confidence * 0.7),
        evidence,
        mitigation: null,
        specialists: [f.specialist],
      });
    }
  }
  return out.sort((x, y) => y.confidence - x.confidence);
}

function ruledOut(a: Analysis, best: Candidate | undefined, rest: Candidate[]): string[] {
  const lines: string[] = [];
  for (const c of rest.slice(0, 5)) {
    if (best && c.category === best.category && lower(c.culprit) === lower(best.culprit)) continue;
    if (c.against) {
      lines.push(c.against);
      continue;
    }
    lines.push(
      `${c.category} (${c.culprit}): less supported (${c.confidence.toFixed(2)} vs ${best?.confidence.toFixed(2) ?? '-'})`,
    );
  }
  for (const ch of a.changes) {
    if (!ch.against) continue;
    const blamed = best?.evidence.includes(ch.change.id);
    if (!blamed) lines.push(ch.against);
  }
  return uniq(lines);
}

/**
 * What each cited known failure means: a responder reading "EBS burst balance exhausted" wants the
 * sentence that says what that does, not a lookup. It goes right after the cause, as the mechanism
 * by which the cause produced the symptoms (the postmortem's whys walk the chain backwards).
 */
function meanings(a: Analysis, c: Candidate): string[] {
  const out: string[] = [];
  for (const id of (c.signatures ?? []).slice(0, 2)) {
    const entry = a.knowledge.find((h) => h.entry.id === id)?.entry;
    if (entry) out.push(`${entry.meaning.replace(/\.$/, '')} (known failure: ${entry.title})`);
  }
  return out;
}

const chainOf = (a: Analysis, c: Candidate) =>
  uniq([...c.causalChain.slice(0, 1), ...meanings(a, c), ...c.causalChain.slice(1)]);

/**
 * A database blamed for running out is half an answer: the statements it was stuck on name the
 * work to fix (a table, the client that sent it), which its own metrics cannot.
 */
function workload(a: Analysis, c: Candidate): { clause: string; evidence: string[] } {
  const hot = a.statements.get(lower(c.culprit));
  if (!hot || lower(c.summary).includes(lower(hot.table))) return { clause: '', evidence: [] };
  const from = hot.senderService ?? hot.sender;
  return {
    clause:
      ` Its slowest statements are on ${hot.table}${from ? `, sent by ${from}` : ''}` +
      ` (${hot.count}x, up to ${fmtNumber(hot.worstSeconds)} s).`,
    evidence: hot.evidence,
  };
}

export function synthesize(a: Analysis, ranked: Candidate[], findings: Finding[]): RootCause {
  const weighed = weigh(a, ranked, findings);
  const best = weighed[0];
  if (!best || best.confidence < TENTATIVE_CONFIDENCE) {
    const service = a.snap.service ?? 'the service';
    return {
      category: 'unknown',
      culprit: best?.culprit ?? '',
      summary: best
        ? `Cause of the ${service} incident not established. Leading but unproven: ${best.summary}`
        : `Cause of the ${service} incident not established: no anomaly, new error, change or security signal explains it.`,
      causalChain: best ? chainOf(a, best) : [],
      confidence: conf(best?.confidence ?? 0.1),
      evidence: best?.evidence ?? [],
      ruledOut: ruledOut(a, undefined, weighed),
      mitigation: null,
      degraded: false,
      signatures: best?.signatures ?? [],
    };
  }
  const tentative = best.confidence < MIN_CONFIDENCE;
  const work = workload(a, best);
  const summary = `${best.summary}${work.clause}`;
  return {
    category: best.category,
    culprit: best.culprit,
    summary: tentative ? `Likely but not proven, too weak to act on: ${summary}` : summary,
    causalChain: chainOf(a, best),
    confidence: best.confidence,
    evidence: uniq([...best.evidence, ...work.evidence]),
    ruledOut: ruledOut(a, best, weighed.slice(1)),
    mitigation: tentative ? null : best.mitigation,
    degraded: false,
    signatures: best.signatures ?? [],
  };
}
