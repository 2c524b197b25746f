/**
 * Priors over causes from similar past incidents, for the analysts' ranking. Only responders'
 * verdicts count: a cause they confirmed is a prior for it, a cause they marked wrong is a prior
 * against it, and what the analyst merely concluded before counts for nothing (it would only echo
 * itself). Pure: the lookup (recall) happens elsewhere.
 */
import type { Category } from '../model.js';
import type { SimilarIncident } from './records.js';

/** How much a past incident counts: sharing the alert and a service (score 6) is a full repeat. */
const FULL_REPEAT_SCORE = 6;

/** A prior on one cause: for it (`confirmed`) or against it (`refuted`). */
export interface CausePrior {
  category: Category;
  culprit: string;
  stance: 'confirmed' | 'refuted';
  /** Σ over the past incidents behind it of how alike each is to this one (0–1 each). */
  strength: number;
  /** Those incidents, newest first. */
  incidents: string[];
  /** The services they share with this incident (what "on this service" means). */
  services: string[];
  /** When the oldest of them was detected. */
  since: string;
}

const norm = (s: string) => s.trim().toLowerCase();

/**
 * Priors for ranking hypotheses. A `correct` or `partly` review confirms the cause responders
 * settled on; a `wrong` review confirms what they named instead (if anything) and refutes the
 * analyst's cause. A cause never reviewed gets no prior, so a repeat with a different cause is not
 * forced into the old one. `services` are this incident's, to say which ones the priors share.
 */
export function priorsFor(similar: SimilarIncident[], services: string[] = []): CausePrior[] {
  const mine = new Set(services.map(norm));
  const byCause = new Map<string, CausePrior>();
  const add = (
    stance: CausePrior['stance'],
    cause: { category: Category; culprit?: string },
    s: SimilarIncident,
  ) => {
    if (cause.category === 'unknown' || cause.category === 'healthy') return;
    const culprit = cause.culprit ?? '';
    const key = `${stance}#${cause.category}#${norm(culprit)}`;
    const prior = byCause.get(key) ?? {
      category: cause.category,
      culprit,
      stance,
      strength: 0,
      incidents: [],
      services: [],
      since: s.record.detectedAt,
    };
    prior.strength += Math.min(1, s.score / FULL_REPEAT_SCORE);
    prior.incidents.push(s.record.id);
    for (const svc of s.record.services)
      if (mine.has(norm(svc)) && !prior.services.includes(svc)) prior.services.push(svc);
    if (s.record.detectedAt < prior.since) prior.since = s.record.detectedAt;
    byCause.set(key, prior);
  };
  const newestFirst = [...similar].sort((a, b) => b.record.detectedAt.localeCompare(a.record.detectedAt));
  for (const s of newestFirst) {
    const r = s.record;
    if (!r.verdict) continue;
    if (r.confirmed) add('confirmed', r.confirmed, s);
    const analyst = r.category ? { category: r.category, culprit: r.culprit } : undefined;
    // A cause marked wrong is evidence against it only where responders did not confirm it after all.
    const same =
      analyst &&
      r.confirmed &&
      r.confirmed.category === analyst.category &&
      norm(r.confirmed.culprit) === norm(analyst.culprit ?? '');
    if (r.verdict === 'wrong' && analyst && !same) add('refuted', analyst, s);
  }
  return [...byCause.values()]
    .map((p) => ({ ...p, strength: Math.round(p.strength * 1000) / 1000 }))
    .sort((a, b) => b.strength - a.strength || b.since.localeCompare(a.since));
}

const TIMES = ['never', 'once', 'twice'];

/** "confirmed twice in 30 days on checkout (inc-a, inc-b)": why a prior moved a hypothesis. */
export function describePrior(prior: CausePrior, now: string): string {
  const n = prior.incidents.length;
  const days = Math.max(1, Math.ceil((Date.parse(now) - Date.parse(prior.since)) / 86_400_000));
  // The first shared service is this incident's own (services are kept in that order).
  const where = prior.services.length ? ` on ${prior.services[0]}` : ' on similar incidents';
  const verb = prior.stance === 'confirmed' ? 'confirmed' : 'marked wrong by responders';
  return `${verb} ${TIMES[n] ?? `${n} times`} in ${days} day${days === 1 ? '' : 's'}${where} (${prior.incidents.slice(0, 3).join(', ')}${n > 3 ? ', …' : ''})`;
}
