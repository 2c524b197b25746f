/**
 * A release already rolled back before the alert (a later deployment of the same service put its
 * previous version back) while the failure goes on: rolling it back again does nothing. What the
 * release set off outlasted it (a retry storm, a backlog, a stuck pool), and the next move is to
 * restart the service that still fails. The release stays the cause.
 */
import type { Analysis } from '../analysis.js';
import { hhmm, lower, ms } from '../measure.js';
import { action, type Candidate, releaseOf } from './candidate.js';

export function revertedRelease(a: Analysis, list: Candidate[]): void {
  for (const d of list) {
    const release = d.mitigation?.kind === 'rollback' ? releaseOf(a, d) : undefined;
    if (!release?.previousVersion) continue;
    const revert = a.snap.changes.find(
      (c) =>
        c.kind === 'deployment' &&
        lower(c.service) === lower(release.service) &&
        c.version === release.previousVersion &&
        ms(c.at) > ms(release.at) &&
        ms(c.at) < ms(a.snap.alertAt),
    );
    if (!revert) continue;
    const restart = action(
      'restart',
      a.snap.service,
      a.knownNames,
      `${release.service} ${release.version} was already rolled back at ${hhmm(revert.at)} and ${a.snap.service} still fails: restart it to clear what the release set off`,
    );
    if (!restart) continue;
    d.mitigation = restart;
    d.summary = `${d.summary.replace(/\.$/, '')}; it was rolled back at ${hhmm(revert.at)} and the failure outlasted the rollback.`;
    d.evidence = [...d.evidence, revert.id];
  }
}
