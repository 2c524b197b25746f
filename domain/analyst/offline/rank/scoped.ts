/**
 * How changes of ours compete with a provider's trouble, run after the general explaining-away
 * (`subsume` in candidates.ts). A failure confined to one zone or location that a provider reported
 * impaired is not explained by a change of ours applied everywhere (a security group rule, a
 * release, a parameter): that change would have broken every zone alike. Such changes are weakened with the reason. The provider's own
 * records (its maintenance notices), read elsewhere as changes of ours, are not ours to revert.
 */
import type { Analysis } from '../analysis.js';
import { providerScope } from '../explain/provider.js';
import { conf, lower } from '../measure.js';
import type { Candidate } from './candidate.js';

export function confinedToScope(a: Analysis, list: Candidate[]): void {
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
