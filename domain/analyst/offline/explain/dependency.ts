/**
 * Candidates from dependency health: the affected service fails because something it calls is
 * failing. Nothing we operate fixes a vendor's outage, so no action is proposed unless the catalog
 * gives the dependency a healthy standby, in which case the affected service fails over to it.
 */
import type { Analysis } from '../analysis.js';
import { AWS_OWNER, isExternal } from '../evidence/dependencies.js';
import { mechanismOf } from '../evidence/logs.js';
import { NETWORK_PATH_NAMESPACE } from '../evidence/metric-kinds.js';
import { isAnomalous } from '../evidence/series.js';
import { conf, hhmm, lower, median } from '../measure.js';
import { action, type Candidate } from '../rank/candidate.js';
import { runsDatastore } from './knowledge-culprit.js';
import { isDatabase } from './resources.js';

/** The dependency received more work than before: its traffic (or calls to it) jumped. */
const loadRose = (a: Analysis, dep: string): boolean =>
  a.views.some(
    (v) =>
      v.kind === 'traffic' &&
      (lower(v.service) === lower(dep) || lower(v.subject) === lower(dep)) &&
      isAnomalous(v) &&
      v.onset!.direction === 'up',
  );

/** A path's own word on whether it is up (a tunnel's or a link's state), as opposed to what it carries. */
const PATH_STATE = /state|status/i;

/**
 * The dependency is a network path rather than a service that answers: its own telemetry is a
 * network path's. Its failure is the network's, and the way out is around it, not a restart —
 * unless the path itself says it is up (every tunnel's state unmoved): then what it carries less
 * of is what the far end stopped answering.
 */
const isNetworkPath = (a: Analysis, dep: string): boolean => {
  const path = a.views.filter(
    (v) => lower(v.service) === lower(dep) && NETWORK_PATH_NAMESPACE.test(v.series.namespace),
  );
  const states = path.filter((v) => PATH_STATE.test(v.series.metricName));
  // A state reads 1 while up: its latest reading under its earlier level is the path going down.
  const fell = (v: (typeof path)[number]) => {
    const values = v.series.points.map(([, x]) => x);
    return values.length > 1 && values[values.length - 1] < median(values.slice(0, -1));
  };
  return path.length > 0 && (states.length === 0 || states.some(fell));
};

const runByVendor = (a: Analysis, name: string): boolean =>
  isExternal(a.snap.catalog, name) && !AWS_OWNER.test(a.snap.catalog.get(name)?.owner ?? '');

export function explainDependencies(a: Analysis): Candidate[] {
  const self = a.snap.service ?? 'the service';
  return a.dependencies
    .filter((d) => d.score >= 0.3)
    .map((d) => {
      // A vendor reached over a VPN keeps the VPN's telemetry, and stays a dependency.
      const path = !d.external && isNetworkPath(a, d.service);
      const mitigation = d.standby
        ? action(
            'failover',
            a.snap.service,
            a.knownNames,
            `${d.service} is failing; ${d.standby} is its healthy standby`,
            {
              from: d.service,
              to: d.standby,
            },
          )
        : path
          ? action(
              'failover',
              d.service,
              a.knownNames,
              `route traffic around the failing part of ${d.service}`,
            )
          : null;
      const how = d.calls ? ` with ${mechanismOf(d.calls)}` : '';
      return {
        category: path
          ? ('network' as const)
          : // A datastore a vendor runs (a hosted Redis, a managed Postgres outside AWS) failing is
            // that provider's outage; one on AWS or ours is a database failure.
            (isDatabase(d.service) && !runByVendor(a, d.service)) ||
              (!d.external && runsDatastore(a, d.service))
            ? ('database' as const)
            : ('dependency' as const),
        culprit: d.service,
        summary:
          `${self} is failing because its dependency ${d.service}${d.external ? ' (a third party)' : ''} is failing${how}: ` +
          `${d.signals.join('; ')}.` +
          `${d.standby ? ` ${d.standby} is a healthy standby.` : d.external ? ' Nothing in our control restores it; escalate to the provider.' : ''}`,
        causalChain: [
          `${d.service} fails${d.at ? ` from ${hhmm(d.at)}` : ''}${how}`,
          `${self} calls to ${d.service} fail or time out`,
          `${a.snap.alert?.title ?? 'the alert'} fired`,
        ],
        confidence: conf(d.score),
        evidence: d.evidence,
        mitigation,
        specialists: ['dependencies', 'logs'],
        // A change can overload an internal dependency by sending it more work; it cannot take
        // down a vendor, and a dependency whose load did not rise failed on its own (or by its own change).
        effect: d.at
          ? {
              at: d.at,
              resource: d.service,
              explained: false,
              headline: `${d.service} failed${how}`,
              loadLinked: !d.external && loadRose(a, d.service),
            }
          : undefined,
      };
    });
}
