/**
 * One specialist's view of the analysis: the candidates its evidence supports, what it looked at
 * (notes) and what it ruled out. Every specialist reads the same analysis, so their findings agree
 * on evidence ids and a synthesizer can weigh them side by side.
 */
import type { Finding, Hypothesis, Specialist } from '../../../model.js';
import type { Analysis } from '../analysis.js';
import { SATURATION_KINDS } from '../evidence/metric-kinds.js';
import { isAnomalous } from '../evidence/series.js';
import { fmtNumber, hhmm, lower } from '../measure.js';
import type { Candidate } from './candidate.js';

const MAX_HYPOTHESES = 4;

const toHypothesis = (c: Candidate): Hypothesis => ({
  category: c.category,
  culprit: c.culprit,
  summary: c.summary,
  confidence: c.confidence,
  evidence: c.evidence,
  signatures: c.signatures ?? [],
});

function notesFor(specialist: Specialist, a: Analysis): string[] {
  switch (specialist) {
    case 'logs':
      return a.signatures
        .slice(0, 5)
        .map(
          (s) =>
            `${s.sig.count}x ${s.cls}${s.isNew ? ' (new)' : ' (chronic)'} on ${s.sig.service ?? '?'}: ${s.sig.signature.slice(0, 120)}`,
        );
    case 'metrics':
    case 'performance':
      return a.views
        .filter((v) => v.onset && (specialist === 'metrics' || SATURATION_KINDS.has(v.kind)))
        .map(
          (v) =>
            `${v.series.metricName} (${v.service ?? '?'}) ${v.onset!.direction} from ${fmtNumber(v.onset!.baseline)} to ${fmtNumber(v.onset!.peak)} at ${hhmm(v.onset!.at)}${v.onset!.recovered ? ', recovered' : ''}`,
        );
    case 'changes':
      return a.changes.map(
        (c) =>
          `${c.change.id}: ${Math.round(c.leadMinutes)} min before onset, ${c.relation}, score ${c.score.toFixed(2)}`,
      );
    case 'dependencies':
      return a.dependencies.map((d) => `${d.service}: ${d.signals.join('; ')}`);
    case 'security':
      return a.security.map((s) => `${s.pattern}: ${s.count} events from ${hhmm(s.at)}`);
  }
}

function ruledOutFor(specialist: Specialist, a: Analysis): string[] {
  switch (specialist) {
    case 'logs':
      return a.signatures
        .filter((s) => !s.isNew)
        .slice(0, 3)
        .map(
          (s) =>
            `"${s.sig.sample.slice(0, 80)}": seen since ${hhmm(s.sig.firstSeen)}, before the onset — background noise`,
        );
    case 'changes':
      return a.changes.filter((c) => c.against && c.score < 0.5).map((c) => c.against!);
    case 'dependencies': {
      const troubled = new Set(a.dependencies.map((d) => lower(d.service)));
      return a.snap.catalog
        .dependencies(a.snap.service)
        .filter((d) => !troubled.has(lower(d)))
        .map((d) => `${d}: no alarms, anomalies or errors`);
    }
    case 'performance':
    case 'metrics':
      return a.views
        .filter(
          (v) =>
            SATURATION_KINDS.has(v.kind) &&
            !isAnomalous(v) &&
            !a.saturation.some((s) => s.view === v) &&
            (v.relation === 'self' || v.relation === 'dependency'),
        )
        .map(
          (v) =>
            `${v.series.metricName} on ${v.service ?? '?'} steady (max ${fmtNumber(Math.max(...v.series.points.map((p) => p[1])))})`,
        );
    case 'security':
      return a.security.length ? [] : ['no security signals in the window'];
  }
}

export function finding(specialist: Specialist, a: Analysis, ranked: Candidate[]): Finding {
  const mine = ranked.filter((c) => c.specialists.includes(specialist)).slice(0, MAX_HYPOTHESES);
  return {
    specialist,
    status: 'ok',
    hypotheses: mine.map(toHypothesis),
    ruledOut: ruledOutFor(specialist, a),
    notes: notesFor(specialist, a),
  };
}
