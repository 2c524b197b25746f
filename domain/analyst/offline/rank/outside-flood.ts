/**
 * Traffic from outside that the security tooling confirms (a DDoS event, flows from thousands of
 * sources) and that multiplied what reaches the service just as it began to fail explains the
 * failure. A change of the same hour with nothing of its own in the evidence (no known signature
 * of its kind) could not have sent that traffic: it ranks below the flood, and says why.
 */
import type { Analysis } from '../analysis.js';
import { isAnomalous } from '../evidence/series.js';
import { conf, hhmm, lower, ms } from '../measure.js';
import type { Candidate } from './candidate.js';
import { factorOf, riseOf } from './demand.js';

/** What arrives at a host or an endpoint, counted as requests, bytes or packets. */
const INBOUND = /^(Network(In|PacketsIn)|RequestCount|Requests|BytesIn|PacketsIn|IncomingBytes)$/i;

export function outsideFlood(a: Analysis, list: Candidate[]): void {
  const flood = list.find(
    (c) =>
      c.category === 'security' &&
      c.mitigation?.kind === 'block-traffic' &&
      !c.against &&
      c.confidence >= 0.5,
  );
  if (!flood) return;
  const surge = a.views.find(
    (v) =>
      lower(v.service) === lower(a.snap.service) &&
      (v.kind === 'traffic' || INBOUND.test(v.series.metricName)) &&
      isAnomalous(v) &&
      v.onset!.direction === 'up' &&
      factorOf(v) >= 5 &&
      Math.abs(ms(v.onset!.at) - ms(a.onset)) <= 5 * 60_000,
  );
  if (!surge) return;
  for (const c of list) {
    if (!c.changeAt || c.signatures?.length || c.confidence < flood.confidence) continue;
    c.confidence = conf(flood.confidence - 0.05);
    c.against ??= `${c.category} (${c.culprit}): changed at ${hhmm(c.changeAt)}, but ${riseOf(surge)} came from outside (${flood.culprit})`;
  }
  if (!flood.causalChain.includes(riseOf(surge))) flood.causalChain.splice(1, 0, riseOf(surge));
}
