/**
 * What a metric measures, from its CloudWatch-style name. The kind decides whether a movement is a
 * symptom (errors, latency, traffic) or a saturated resource (cpu, memory, connections, throttles,
 * storage), and which direction is bad.
 */
import type { MetricSeries } from '../../../ports.js';

export type MetricKind =
  | 'errors'
  | 'latency'
  | 'traffic'
  | 'availability'
  | 'cpu'
  | 'memory'
  | 'connections'
  | 'throttles'
  | 'storage'
  | 'queue'
  | 'concurrency'
  | 'handles'
  | 'other';

export const SATURATION_KINDS: ReadonlySet<MetricKind> = new Set([
  'cpu',
  'memory',
  'connections',
  'throttles',
  'storage',
  'queue',
  'concurrency',
  'handles',
]);

const RULES: Array<[RegExp, MetricKind]> = [
  [/throttl|ratelimit|rate_limit|toomanyrequests|429|provisionedthroughputexceeded/i, 'throttles'],
  [/success|availability|uptime|apdex/i, 'availability'],
  [
    /5xx|4xx|error|fault|fail|exception|reject|mismatch|violation|notfound|not_found|deadletter|dlq|fallback|timeouts?(count|_total)?$/i,
    'errors',
  ],
  [/latency|duration|responsetime|response_time|p9\d|elapsed|iteratorage|lag/i, 'latency'],
  [/concurren|activethreads|busyworkers|workers?busy/i, 'concurrency'],
  [/openfds|fds$|file.?desc|openfiles|open_files|handles/i, 'handles'],
  [/cpu/i, 'cpu'],
  [/memory|mem_|heap|swap|oom/i, 'memory'],
  [/connection|conn_|conntrack|sessions|poolsize|activeconn|clientconn/i, 'connections'],
  [/freestorage|disk|storage|volume|burstbalance|inode|freeable/i, 'storage'],
  [/queue|backlog|approximatenumberofmessages|ageofoldest|pending|inflight|in_flight/i, 'queue'],
  [/healthyhost|unhealthy|availability|uptime|healthcheck|statuscheck/i, 'availability'],
  [
    /request|invocation|count|throughput|rps|qps|traffic|messages|received|ingested|pulls$|downloads$/i,
    'traffic',
  ],
];

/** Kinds that accumulate: a leak shows as one of these rising for hours. */
export const ACCUMULATING: ReadonlySet<MetricKind> = new Set(['memory', 'handles', 'connections', 'storage']);

export function metricKind(series: Pick<MetricSeries, 'metricName' | 'unit'>): MetricKind {
  const name = series.metricName.replace(/\s+/g, '');
  if (/^freeablememory$/i.test(name)) return 'memory';
  for (const [re, kind] of RULES) if (re.test(name)) return kind;
  return 'other';
}

/** The direction in which a movement of this kind hurts. */
export function badDirection(series: Pick<MetricSeries, 'metricName' | 'unit'>): 'up' | 'down' | 'both' {
  const name = series.metricName;
  if (
    /^(free|available|healthyhost|burstbalance|cpucreditbalance)|success|availability|uptime|apdex/i.test(
      name,
    )
  ) {
    return 'down';
  }
  if (/unhealthy/i.test(name)) return 'up';
  const kind = metricKind(series);
  if (kind === 'traffic') return 'both';
  if (kind === 'availability') return 'down';
  return 'up';
}

/** True for percent-of-capacity series, where a level near 100 is itself a finding. */
export const isPercent = (s: Pick<MetricSeries, 'unit' | 'metricName'>): boolean =>
  /percent/i.test(s.unit ?? '') || /utili[sz]ation|percent/i.test(s.metricName);

/**
 * Telemetry of what carries traffic out of the VPC: a Direct Connect link, a NAT gateway, a transit
 * gateway, a VPN, a network firewall. A catalog service measured by it is the way out (read from
 * what its series are, never from what it is called).
 */
const EGRESS = ['DX', 'NATGateway', 'TransitGateway', 'VPN', 'NetworkFirewall', 'GatewayELB'];
const namespaces = (names: string[]) => new RegExp(`^AWS\\/(?:${names.join('|')})$`, 'i');
export const EGRESS_NAMESPACE = namespaces(EGRESS);
/** A network path's telemetry, either way: the way out, and the way in (an accelerator, PrivateLink). */
export const NETWORK_PATH_NAMESPACE = namespaces([...EGRESS, 'GlobalAccelerator', 'PrivateLinkEndpoints']);
