import type { Incident } from '../model.js';

export interface AccuracyCut {
  reviewed: number;
  /** Mean score on the 100/65/35/0 scale, or null with nothing reviewed. */
  meanScore: number | null;
  verdicts: { correct: number; partly: number; wrong: number };
}

export interface Accuracy extends AccuracyCut {
  /** Incidents in the window with a root cause nobody has reviewed yet. */
  unreviewed: number;
  /** By the category responders confirmed (the analyst's when they confirmed none). */
  byCategory: Record<string, AccuracyCut>;
  /** By who reached the cause: `offline` when the offline analyst did, `model` otherwise. */
  byAnalyst: Record<string, AccuracyCut>;
}

const empty = (): AccuracyCut => ({
  reviewed: 0,
  meanScore: null,
  verdicts: { correct: 0, partly: 0, wrong: 0 },
});

function add(cut: AccuracyCut, verdict: 'correct' | 'partly' | 'wrong', score: number): void {
  cut.meanScore = ((cut.meanScore ?? 0) * cut.reviewed + score) / (cut.reviewed + 1);
  cut.reviewed += 1;
  cut.verdicts[verdict] += 1;
}

const rounded = (cut: AccuracyCut): AccuracyCut => ({
  ...cut,
  meanScore: cut.meanScore === null ? null : Math.round(cut.meanScore * 10) / 10,
});

/** Root-cause accuracy over the reviewed incidents among `incidents`: only responders' verdicts count. */
export function accuracyOf(incidents: Incident[]): Accuracy {
  const all = empty();
  const byCategory: Record<string, AccuracyCut> = {};
  const byAnalyst: Record<string, AccuracyCut> = {};
  let unreviewed = 0;
  for (const i of incidents) {
    if (!i.review) {
      if (i.rootCause) unreviewed += 1;
      continue;
    }
    const { verdict, score } = i.review;
    const category = i.review.confirmed?.category ?? i.rootCause?.category ?? 'unknown';
    // Only a model spends tokens; a degraded cause is the offline analyst's even on the Claude path.
    const analyst =
      i.rootCause && !i.rootCause.degraded && (i.tokenUsage?.input ?? 0) > 0 ? 'model' : 'offline';
    add(all, verdict, score);
    byCategory[category] = byCategory[category] ?? empty();
    byAnalyst[analyst] = byAnalyst[analyst] ?? empty();
    add(byCategory[category], verdict, score);
    add(byAnalyst[analyst], verdict, score);
  }
  const each = (r: Record<string, AccuracyCut>) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, rounded(v)]));
  return { ...rounded(all), unreviewed, byCategory: each(byCategory), byAnalyst: each(byAnalyst) };
}

export function accuracyLines(a: Accuracy): string[] {
  if (!a.reviewed)
    return [
      `Root-cause accuracy: no reviewed incidents (${a.unreviewed} await review: firebreak review <id> --verdict …)`,
    ];
  const row = (name: string, c: AccuracyCut) =>
    `  ${name.padEnd(14)} ${String(c.reviewed).padStart(8)}  ${String(c.meanScore).padStart(5)}  ${c.verdicts.correct}/${c.verdicts.partly}/${c.verdicts.wrong}`;
  return [
    `Root-cause accuracy over ${a.reviewed} reviewed incident(s): ${a.meanScore}/100 (${a.unreviewed} await review)`,
    '                 reviewed  score  correct/partly/wrong',
    row('all', a),
    ...Object.entries(a.byCategory).map(([k, c]) => row(k, c)),
    ...Object.entries(a.byAnalyst).map(([k, c]) => row(`by ${k}`, c)),
    'Scores: correct 100, partly with the right category 65, partly otherwise 35, wrong 0.',
  ];
}

export interface MitigationSplit {
  /** Resolved incidents whose mitigation was accepted and applied. */
  withMitigation: { resolved: number; mttrSeconds: number | null };
  /** Resolved incidents without one (none proposed, rejected, timed out, failed, or dry-run only). */
  withoutMitigation: { resolved: number; mttrSeconds: number | null };
}

/** MTTR (detection → resolution, mean) with and without an accepted mitigation: what mitigation buys. */
export function mitigationSplit(incidents: Incident[]): MitigationSplit {
  const cut = (list: Incident[]) => {
    const secs = list.map((i) => (Date.parse(i.resolvedAt as string) - Date.parse(i.detectedAt)) / 1000);
    return {
      resolved: list.length,
      mttrSeconds: secs.length ? Math.round(secs.reduce((a, b) => a + b, 0) / secs.length) : null,
    };
  };
  const resolved = incidents.filter((i) => i.resolvedAt);
  const accepted = (i: Incident) => i.mitigation?.status === 'applied';
  return {
    withMitigation: cut(resolved.filter(accepted)),
    withoutMitigation: cut(resolved.filter((i) => !accepted(i))),
  };
}
