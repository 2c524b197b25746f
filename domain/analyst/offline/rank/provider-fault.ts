/**
 * A managed datastore the platform itself reports a fault on: the dependency that failed is ours,
 * but what broke it is the provider's — a node being recovered after a power loss, offline patches
 * applied in a maintenance window, a host impaired. Around the minute our calls began failing, the
 * platform's own record (an ElastiCache or RDS event, a health notice; never a change anyone of
 * ours made) names that resource. The failure is the provider's (`dependency`), not a defect of
 * the database to fix or a load to scale: when the record says the primary is what failed, the way
 * out is to promote the replica; otherwise nothing of ours undoes it and responders escalate.
 */
import type { Analysis } from '../analysis.js';
import { hhmm, lower, ms } from '../measure.js';
import { action, type Candidate } from './candidate.js';

/** What a platform record says when something broke, as opposed to routine bookkeeping. */
const FAULT =
  /\b(recover(ing|y)|impair|fail(ed|ure|over)?|degrad|power|hardware|offline|off-line|unreachable|reboot(ing)?|replac(e|ing)|maintenance|patch(es|ing)?|outage|thermal)\b/i;

/** The platform record and the failure may be minutes apart either way (delivery, detection). */
const NEAR_MS = 20 * 60_000;

export function providerFault(a: Analysis, list: Candidate[]): void {
  for (const c of list) {
    if (c.category !== 'database' || c.changeAt || !c.effect || c.signatures?.length) continue;
    const res = lower(c.effect.resource);
    const record = a.changes.find(
      (s) =>
        s.flavor === 'platform' &&
        (lower(s.change.service) === res || lower(s.change.resource).includes(res)) &&
        Math.abs(ms(s.change.at) - ms(c.effect!.at)) <= NEAR_MS &&
        FAULT.test(s.change.summary),
    )?.change;
    if (!record) continue;
    const said = record.summary.slice(0, 140);
    c.category = 'dependency';
    c.summary = `${c.summary.replace(/\.$/, '')}; the platform reported a fault on ${c.effect.resource} at ${hhmm(record.at)}: "${said}". The failure is the provider's, not ours to undo.`;
    c.causalChain.unshift(`the platform reports ${c.effect.resource} faulty (${hhmm(record.at)})`);
    c.evidence = [...c.evidence, record.id];
    c.mitigation = /\bprimary\b/i.test(record.summary)
      ? action(
          'failover',
          c.effect.resource,
          a.knownNames,
          `the platform reports ${c.effect.resource}'s primary failed: promote its replica`,
        )
      : null;
  }
}
