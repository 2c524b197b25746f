/**
 * A cause nothing of ours can undo (a dependency down, a defect no change brought in) still has a
 * first action when the services on its path name a way around it: the flag they log as available.
 * A flag that sends traffic to another region is a failover; any other is a feature flag. And work
 * that one feature does has that feature's switch (`offerSwitches`).
 */
import type { Category } from '../../../model.js';
import type { Analysis } from '../analysis.js';
import { lower, nameWords, uniq } from '../measure.js';
import { action, type Candidate } from './candidate.js';

/** Causes a fallback flag works around. Changes are reverted and threats contained instead. */
const AROUND: ReadonlySet<Category> = new Set(['dependency', 'database', 'network', 'capacity', 'code']);

/** The flag's service is the culprit or calls it (directly or further down). */
const reaches = (a: Analysis, service: string, culprit: string) =>
  lower(service) === lower(culprit) ||
  a.snap.catalog.dependencies(service).some((d) => lower(d) === lower(culprit));

export function offerFallbacks(a: Analysis, list: Candidate[]): void {
  if (!a.fallbacks.length) return;
  for (const c of list) {
    if (c.mitigation || c.noRemedy || c.changeAt || !AROUND.has(c.category)) continue;
    // The affected service's own flag first: it is where the failure is felt.
    const f = [...a.fallbacks]
      .filter((x) => reaches(a, x.service, c.culprit))
      .sort(
        (x, y) =>
          Number(lower(y.service) === lower(a.snap.service)) -
          Number(lower(x.service) === lower(a.snap.service)),
      )[0];
    if (!f) continue;
    c.mitigation = f.failover
      ? action(
          'failover',
          f.service,
          a.knownNames,
          `${c.culprit} is failing; ${f.service} logs flag ${f.flag} to fail over to ${f.region}`,
          {
            region: f.region!,
          },
        )
      : action(
          'feature-flag',
          f.service,
          a.knownNames,
          `${c.culprit} is failing; ${f.service} logs flag ${f.flag} as its way around it`,
        );
    if (c.mitigation) c.evidence = uniq([...c.evidence, f.evidenceId]);
  }
}

/** Words in flag names that say nothing about which feature it is. */
const GENERIC = new Set(
  `enable enabled disable disabled flag flags feature features toggle switch mode beta rollout launch
  experiment test dark global default service server client update updates widget widgets check checks
  show allow async sync fast path version legacy prod production staging using`.split(/\s+/),
);

/** The distinctive words of a name: `failed-events-dashboard-widgets` → failed, events, dashboard. */
const wordsOf = (name: string): string[] => nameWords(name, GENERIC);

/** What the candidate's work is called: its culprit, the lines it cites, its database's hot table. */
function mechanism(a: Analysis, c: Candidate): Set<string> {
  const cited = new Set(c.evidence);
  const lines = a.snap.logs.filter((l) => cited.has(l.id)).map((l) => l.sample);
  const table = a.statements.get(lower(c.culprit))?.table ?? '';
  return new Set([c.culprit, table, ...lines].flatMap(wordsOf));
}

/**
 * A switch for the work itself: a flag known to be on, on the path to the culprit, whose name is
 * the failing work's name (its words are the words of the culprit, of the lines the story cites or
 * of the table its database is stuck on) is turned off before anything is scaled or restarted.
 * More capacity feeds the same work; the flag ends it.
 */
export function offerSwitches(a: Analysis, list: Candidate[]): void {
  if (!a.switches.length) return;
  for (const c of list) {
    if (c.changeAt || !AROUND.has(c.category)) continue;
    if (c.mitigation && c.mitigation.kind !== 'scale' && c.mitigation.kind !== 'restart') continue;
    const words = mechanism(a, c);
    const s = a.switches.find((x) => {
      const own = wordsOf(x.flag);
      const shared = own.filter((w) => words.has(w)).length;
      return (
        shared >= Math.min(2, own.length) && shared > 0 && (!x.service || reaches(a, x.service, c.culprit))
      );
    });
    if (!s) continue;
    const why = `${c.culprit}'s failing work is what flag ${s.flag} switches on: turn it off`;
    const m =
      action('feature-flag', s.target, a.knownNames, why, { enabled: false }) ??
      action('feature-flag', s.service, a.knownNames, why, { enabled: false });
    if (!m) continue;
    c.mitigation = m;
    c.evidence = uniq([...c.evidence, s.evidenceId]);
  }
}
