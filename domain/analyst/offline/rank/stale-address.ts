/**
 * A stale address: the failing service still calls the IP address of a host that was retired,
 * stopped or replaced (an instance retirement, a node replaced by its group), long after the
 * replacement came up somewhere else. Nothing is wrong with what it calls; what it was told about
 * where to call was never updated. The cause is that routing or discovery data, and the fix is to
 * make the caller read it again (a restart reloads its upstreams) once it is right.
 *
 * Who should have updated it is named when the evidence shows it: a service whose own line saw
 * the replacement arrive (its new id or address) is the one that keeps the addresses. When the
 * addresses were behind a DNS name (a load balancer's nodes replaced, the name now answering
 * others), the caller resolved once and kept the answer: a stale DNS resolution, network.
 */
import type { LogSignature } from '../../../ports.js';
import type { Analysis } from '../analysis.js';
import { conf, headline, hhmm, lower, ms, uniq } from '../measure.js';
import { action, type Candidate } from './candidate.js';

const IPV4 = /\b(?:\d{1,3}\.){3}\d{1,3}\b/g;

/** A host or address taken out of service in the record's or line's own words. */
const RETIRED =
  /\b(?:stopp(?:ed|ing)|terminat(?:ed|ing)|retire(?:d|ment)|decommission(?:ed|ing)|deregister(?:ed|ing)|replac(?:ed|ement)|remov(?:ed|al)|delet(?:ed|ion))\b/i;

/** A record about taking its resource away: the addresses its resource names are the ones gone. */
const TAKES_AWAY = /delet|remov|terminat|stop|deregist|retir/i;

/** In "replacement B (10.0.0.2) for A (10.0.0.1)" the address after "for" is the one taken away. */
const REPLACED_FOR = /\breplac\w*\b.*?\bfor\b(.*)$/i;

/** What comes after these words is the new state ("DNS now answers 10.0.0.3", "new ENI 10.0.0.4"). */
const NOW = /\b(?:now (?:answers|resolves|points)|new (?:ENI|IP|address|node|instance)s?)\b/i;

/** The retirement was of addresses behind a name. */
const DNS = /\bDNS\b|\bTTL\b|\bresolv(?:e|es|er|ing)\b/i;

/** A line saying a call failed. */
const FAILED_CALL =
  /\b(?:timed? ?out|refused|unreachable|no route to host|connect(?:ion)? (?:error|failed)|failed to connect|upstream)\b/i;

interface Retired {
  address: string;
  at: string;
  what: string;
  id: string;
  /** Addresses and host ids of what replaced it, to find who saw the replacement arrive. */
  successors: string[];
}

/** Addresses a record or line says were taken out of service, with what replaced them. */
function retiredAddresses(a: Analysis): Retired[] {
  const texts: Array<{ text: string; at: string; id: string }> = [
    ...[...a.snap.changes, ...(a.snap.olderChanges ?? [])].map((c) => ({
      // A record taking its resource away names what went in its resource (`eni-… (10.20.11.87)`).
      text: TAKES_AWAY.test(`${c.status ?? ''} ${c.summary}`)
        ? `${c.resource ?? ''} ${c.summary}`
        : c.summary,
      at: c.at,
      id: c.id,
    })),
    ...a.snap.logs.map((l) => ({ text: l.sample, at: l.firstSeen, id: l.id })),
  ];
  const out: Retired[] = [];
  const ids = (text: string) =>
    uniq([...(text.match(IPV4) ?? []), ...(text.match(/\bi-[0-9a-f]{8,17}\b/g) ?? [])]);
  for (const t of texts) {
    if (!RETIRED.test(t.text)) continue;
    const replaced = REPLACED_FOR.exec(t.text);
    const now = replaced ? undefined : NOW.exec(t.text);
    const [arrived, left] = replaced
      ? [t.text.slice(0, t.text.length - replaced[1].length), replaced[1]]
      : now
        ? [t.text.slice(now.index), t.text.slice(0, now.index)]
        : ['', t.text];
    const successors = ids(arrived);
    const gone = (left.match(IPV4) ?? []).filter((ip) => !successors.includes(ip));
    for (const address of gone) out.push({ address, at: t.at, what: headline(t.text), id: t.id, successors });
  }
  return out;
}

/** A failed call of `service` (or anything on its path) naming a retired address, after it was retired. */
function callToRetired(a: Analysis, retired: Retired[]): { line: LogSignature; gone: Retired } | undefined {
  const path = new Set([lower(a.snap.service), ...a.snap.catalog.dependencies(a.snap.service).map(lower)]);
  for (const line of a.snap.logs) {
    if (!path.has(lower(line.service)) || !FAILED_CALL.test(line.sample)) continue;
    const named: string[] = line.sample.match(IPV4) ?? [];
    const gone = retired.find((r) => named.includes(r.address) && ms(line.firstSeen) > ms(r.at));
    if (gone) return { line, gone };
  }
  return undefined;
}

export function staleAddress(a: Analysis, list: Candidate[]): Candidate | undefined {
  const hit = callToRetired(a, retiredAddresses(a));
  if (!hit) return undefined;
  const { line, gone } = hit;
  const caller = a.snap.catalog.get(line.service)?.name ?? line.service!;
  // Whose own line saw the replacement arrive: it keeps the addresses, and did not update them.
  const keeper = gone.successors.length
    ? a.snap.logs.find(
        (l) =>
          lower(l.service) !== lower(caller) &&
          !!a.snap.catalog.get(l.service) &&
          ms(l.firstSeen) >= ms(gone.at) - 60_000 &&
          gone.successors.some((s) => l.sample.includes(s)),
      )
    : undefined;
  const keeperName = keeper ? a.snap.catalog.get(keeper.service)!.name : undefined;
  const culprit = keeperName ?? caller;
  // Addresses a name stopped resolving to (a load balancer's nodes replaced behind its DNS name):
  // the caller resolved the name once and kept the answer. That is the network's stale view, not
  // a routing table someone failed to update.
  const viaDns = DNS.test(gone.what);
  const stale = `${caller} still sends requests to ${gone.address}, the IP address of a host taken out of service at ${hhmm(gone.at)} ("${gone.what.slice(0, 120)}")`;
  const why = viaDns
    ? `the name it calls no longer resolves there, and ${caller} resolved it once and kept the old IP addresses`
    : keeper
      ? `${keeperName} saw the replacement arrive at ${hhmm(keeper.firstSeen)} ("${headline(keeper.sample).slice(0, 120)}") and ${caller}'s routes still point at the old address`
      : `nothing updated ${caller}'s routes to the replacement`;
  // What it calls did not fail: the stories blaming the host's group for the caller's errors
  // (a platform restart there, the group failing) are this one told from the wrong end.
  const owner = [...a.snap.changes, ...(a.snap.olderChanges ?? [])].find((c) => c.id === gone.id)?.service;
  const blamed = list.filter(
    (c) =>
      !!owner &&
      lower(c.culprit) === lower(owner) &&
      (c.category === 'dependency' || c.category === 'database'),
  );
  const top = Math.max(0.6, ...list.filter((c) => !c.changeAt).map((c) => c.confidence));
  for (const c of blamed) {
    c.confidence = conf(Math.min(c.confidence, top - 0.05));
    c.against ??= `${c.category} (${c.culprit}): ${caller} calls ${gone.address}, which is no longer there; the replacement is not what fails`;
  }
  return {
    category: viaDns ? 'network' : 'configuration',
    culprit,
    summary: viaDns
      ? `Stale DNS resolution: ${stale}; ${why}.`
      : `Stale routing configuration: ${stale}; ${why}. ${caller}'s list of upstreams is out of date, not what it calls.`,
    causalChain: [
      `${gone.what.slice(0, 120)} (${hhmm(gone.at)})`,
      why,
      `${caller}: "${headline(line.sample).slice(0, 120)}" (${line.count}x)`,
      `${a.snap.alert?.title ?? 'the alert'} fired`,
    ],
    confidence: conf(Math.min(0.85, top + 0.05)),
    evidence: uniq([line.id, gone.id, ...(keeper ? [keeper.id] : [])]),
    mitigation: action(
      'restart',
      caller,
      a.knownNames,
      viaDns
        ? `restart ${caller} so it resolves the name again: it calls ${gone.address}, which is gone`
        : `restart ${caller} so it reloads its upstreams (after correcting them): it calls ${gone.address}, which is gone`,
    ),
    specialists: ['logs', 'changes', 'dependencies'],
    since: gone.at,
  };
}
