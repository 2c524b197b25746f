/**
 * Two corrections to how changes of ours compete with what the evidence says about owners and
 * signatures, run after the general explaining-away (`subsume` in candidates.ts).
 *
 * A failure confined to one zone or location that a provider reported impaired is not explained by
 * a change of ours applied everywhere (a security group rule, a release, a parameter): that change
 * would have broken every zone alike. Such changes are weakened with the reason. The provider's own
 * records (its maintenance notices), read elsewhere as changes of ours, are not ours to revert.
 */
import type { Analysis } from '../analysis.js';
import { providerScope } from '../explain/provider.js';
import { conf, lower } from '../measure.js';
import type { Candidate } from './candidate.js';

export function ownerAndSignatureRules(a: Analysis, list: Candidate[]): void {
  confinedToScope(a, list);
  placedByService(a, list);
}

/** Two names on one dependency path (either way round), or the same. */
const onPath = (a: Analysis, x: string, y: string) =>
  lower(x) === lower(y) || ['dependency', 'dependent'].includes(a.snap.catalog.relation(x, y));

/**
 * A change is named by its version or resource, which the catalog cannot place; it acts through
 * the service it changed. A strong, specific cause signature that rules the change's category out
 * (an id space exhausted rules out the release that happened to be running) weakens it when that
 * service is on the signature's path, as explaining-away does for everything the catalog places.
 */
function placedByService(a: Analysis, list: Candidate[]): void {
  for (const k of list) {
    if (k.changeAt || k.effect || k.confidence < 0.6) continue;
    // Its own specific cause signatures, and what they rule out.
    const strong = a.knowledge
      .map((h) => h.entry)
      .filter((e) => k.signatures?.includes(e.id) && e.role === 'cause' && e.specificity === 'high');
    for (const x of list) {
      if (x === k || !x.changeAt || !x.changeService || x.against || x.category === k.category) continue;
      const rule = strong.flatMap((e) => e.rulesOut).find((r) => r.category === x.category);
      if (!rule || !onPath(a, x.changeService, k.culprit) || onPath(a, x.culprit, k.culprit)) continue;
      x.confidence = conf(x.confidence * (1 - 0.5 * k.confidence));
      x.against = `${x.category} (${x.culprit}): ${rule.reason}`;
    }
  }
}

function confinedToScope(a: Analysis, list: Candidate[]): void {
  const scope = providerScope(a);
  if (!scope) return;
  const where = scope.values.join(', ');
  for (const c of list) {
    if (!c.changeAt || lower(c.culprit) === lower(scope.provider)) continue;
    const record = a.snap.changes.find((r) => r.id === c.evidence[0]);
    if (!record) continue;
    if (scope.records.includes(record.id)) {
      c.confidence = conf(c.confidence * 0.5);
      c.mitigation = null;
      c.against = `${c.category} (${c.culprit}): ${scope.provider}'s own notice, not a change of ours to revert`;
      continue;
    }
    // A change aimed at the impaired scope itself could still be the cause.
    const text = lower(`${record.resource ?? ''} ${record.summary}`);
    if (scope.values.some((v) => text.includes(v))) continue;
    c.confidence = conf(c.confidence * 0.6);
    c.against = `${c.category} (${c.culprit}): applied everywhere, while the failure is confined to ${where}, where ${scope.provider} reported trouble`;
  }
}
