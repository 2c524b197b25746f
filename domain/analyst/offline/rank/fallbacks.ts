/**
 * A cause nothing of ours can undo (a dependency down, a defect no change brought in) still has a
 * first action when the services on its path name a way around it: the flag they log as available.
 * A flag that sends traffic to another region is a failover; any other is a feature flag.
 */
import type { Category } from '../../../model.js';
import type { Analysis } from '../analysis.js';
import type { NamedFallback } from '../evidence/fallbacks.js';
import { lower, uniq } from '../measure.js';
import { action, type Candidate } from './candidate.js';

/** Causes a fallback flag works around. Changes are reverted and threats contained instead. */
const AROUND: ReadonlySet<Category> = new Set(['dependency', 'database', 'network', 'capacity', 'code']);

/** The flag's service is the culprit or calls it (directly or further down). */
const reaches = (a: Analysis, f: NamedFallback, culprit: string) =>
  lower(f.service) === lower(culprit) ||
  a.snap.catalog.dependencies(f.service).some((d) => lower(d) === lower(culprit));

export function offerFallbacks(a: Analysis, list: Candidate[]): void {
  if (!a.fallbacks.length) return;
  for (const c of list) {
    if (c.mitigation || c.noRemedy || c.changeAt || !AROUND.has(c.category)) continue;
    // The affected service's own flag first: it is where the failure is felt.
    const f = [...a.fallbacks]
      .filter((x) => reaches(a, x, c.culprit))
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
