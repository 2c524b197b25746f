/**
 * One read of the evidence for an investigation window. Every detector works on this snapshot,
 * so the analyst asks each Evidence question once per step and all conclusions cite the same ids.
 */

import { LOOKBACK_MINUTES } from '../../../incidents/context.js';
import type { NormalizedAlert } from '../../../model.js';
import type {
  AlarmEvent,
  ChangeRecord,
  Evidence,
  InvestigationContext,
  LogSignature,
  MetricSeries,
  SecuritySignal,
  TimeWindow,
} from '../../../ports.js';
import { mentionedNames } from '../measure.js';
import { Catalog } from './catalog.js';
import { readOnlyCall } from './change-flavor.js';
import { ERROR_LEVELS } from './logs.js';
import { ACCUMULATING, metricKind } from './metric-kinds.js';
import { startedEarlier, startsInWindow } from './started-earlier.js';

export interface Snapshot {
  alert?: NormalizedAlert;
  /** The source has since said the alert resolved (a later delivery for the same fingerprint). */
  alertResolved: boolean;
  /** The service the incident is about, when one can be named. */
  service?: string;
  catalog: Catalog;
  window: TimeWindow;
  /** When the incident was detected: evidence after it is not a cause. */
  alertAt: string;
  metrics: MetricSeries[];
  /**
   * Accumulating resources (memory, handles, connections, storage) over the change lookback: a leak
   * that began with a release hours ago shows only on the longer view. Traffic too: a flood that
   * began before the window opened is its baseline on the short view.
   */
  trends: MetricSeries[];
  logs: LogSignature[];
  /**
   * Lines from the day before the window: read only as precursors, a known cause logged hours
   * before anyone was paged (a process OOM-killed at dawn, a renewal that failed overnight).
   */
  earlierLogs?: LogSignature[];
  changes: ChangeRecord[];
  /**
   * Changes older than the change lookback, up to `LATENT_LOOKBACK_DAYS`: read only as latent
   * causes of a saturation on what they changed, never as ordinary suspects or severity evidence.
   */
  olderChanges?: ChangeRecord[];
  /**
   * Read-only calls on configuration (a flag profile fetched): not changes, but they say what is
   * set. Read only for the flags they list (`evidence/switches.ts`).
   */
  settings?: ChangeRecord[];
  alarms: AlarmEvent[];
  security: SecuritySignal[];
}

/** The firing alert if there is one, otherwise the first. */
export const primaryAlert = (alerts: NormalizedAlert[]): NormalizedAlert | undefined =>
  alerts.find((a) => a.status === 'firing') ?? alerts[0];

/** The last delivery for the primary alert's fingerprint says resolved. */
export function resolvedAtSource(alerts: NormalizedAlert[], primary: NormalizedAlert | undefined): boolean {
  if (!primary) return false;
  const same = alerts.filter((a) => a.fingerprint === primary.fingerprint);
  return same[same.length - 1]?.status === 'resolved';
}

/**
 * The affected service: the incident's, the alert's, the catalog owner of the alarm, or a catalog
 * service that the source's own service name or the alert title names (matched against known names
 * only). Paging tools name their services for people ("deploy-console external checks",
 * "checkout-api (prod)"): the catalog service inside that name is the one the incident is about.
 */
export function affectedService(
  ctx: InvestigationContext,
  catalog: Catalog,
  logs: LogSignature[] = [],
  alertAt?: string,
): string | undefined {
  const alert = primaryAlert(ctx.alerts);
  const direct = ctx.incident.service ?? alert?.service;
  const known = catalog.get(direct)?.name;
  if (known) return known;
  const byAlarm = alert ? catalog.ownerOfAlarm(alert.labels.alarmName ?? alert.title) : undefined;
  if (byAlarm) return byAlarm;
  const named =
    mentionedNames(direct ?? '', catalog.names())[0] ??
    mentionedNames(`${ctx.incident.title} ${alert?.title ?? ''}`, catalog.names())[0];
  return named ?? (alertAt ? loudest(catalog, logs, alertAt) : undefined) ?? direct;
}

/**
 * Errors this many, and this many times the next service's, make one service the loud one. The
 * count is the volume at which users notice (`explain/health.ts`): a higher floor made the answer
 * flip when the same incident logged three times as much (the variant check).
 */
const LOUD_COUNT = 20;
const LOUD_LEAD = 3;

/**
 * The alert names nothing of the catalog (a PagerDuty service called after a team or a cluster,
 * "validators-lido"): the catalog service logging by far the most errors in the half hour before it
 * fired is what it is about — three times the next one's, and twenty or more. Otherwise none.
 */
function loudest(catalog: Catalog, logs: LogSignature[], alertAt: string): string | undefined {
  const from = Date.parse(alertAt) - 30 * 60_000;
  const errors = new Map<string, number>();
  for (const l of logs) {
    const svc = catalog.get(l.service)?.name;
    if (!svc || !ERROR_LEVELS.test(l.level)) continue;
    if (Date.parse(l.firstSeen) < from || Date.parse(l.firstSeen) > Date.parse(alertAt)) continue;
    errors.set(svc, (errors.get(svc) ?? 0) + l.count);
  }
  const [first, second] = [...errors].sort((x, y) => y[1] - x[1]);
  return first && first[1] >= LOUD_COUNT && first[1] >= LOUD_LEAD * (second?.[1] ?? 0) ? first[0] : undefined;
}

/**
 * Changes are read further back than the metrics and logs: a latent change (a library bump, a
 * bucket opened, a config flipped) can sit for hours before it bites, and responders look at the
 * day's changes, not the hour's. Timing still weighs an old change down.
 */
export const CHANGE_LOOKBACK_HOURS = 24;

/**
 * Changes and security signals are read further still: a limit set days ago (a database downsized, a fleet
 * expanded, a flag turned on for everyone) bites only at the next peak. Such a change is weighed
 * by how long ago it landed and only against a saturation of what it touched (`rank/latent.ts`).
 * Two weeks, because notices of planned maintenance go out a week or more ahead (`rank/announced.ts`)
 * and limits set that long ago still bite; measured to move no scenario's conclusion but the
 * announced maintenance it was widened for. Security signals that old are read only as the start
 * of an intrusion noticed late (`explain/security.ts`, three days at most).
 * Where the evidence source bounds its window (the AWS adapters read at most 24 h), it answers the
 * most recent part.
 */
export const LATENT_LOOKBACK_DAYS = 14;

/**
 * How far back the onset of an incident reported late is looked for, when the whole day before the
 * report is already its steady state. Only where the evidence source answers that far (the AWS
 * adapters read at most 24 h).
 */
const REPORT_LAG_DAYS = 7;

/** How far into the earlier log read a line must begin to be a precursor rather than background. */
const CHRONIC_MARGIN_MIN = 60;

/** Points a series needs for its onset to be told from its baseline. */
const ENOUGH_POINTS = 13;

/**
 * Coarse series (five-minute points) give an hour's window a dozen points: an onset twenty minutes
 * in leaves four to learn the baseline from, too few to find it. Those series are read back, from
 * the longer read already made, just far enough to have enough points — no further, so the window
 * still decides what the baseline is.
 */
function withBaseline(metrics: MetricSeries[], long: MetricSeries[], window: TimeWindow): MetricSeries[] {
  return metrics.map((m) => {
    if (m.points.length >= ENOUGH_POINTS) return m;
    const points = long
      .find((l) => l.id === m.id)
      ?.points.filter(([t]) => Date.parse(t) <= Date.parse(window.to))
      .slice(-ENOUGH_POINTS);
    return points && points.length > m.points.length ? { ...m, points } : m;
  });
}

export async function gather(evidence: Evidence, ctx: InvestigationContext): Promise<Snapshot> {
  const catalogServices = ctx.services.length ? ctx.services : await evidence.services();
  const catalog = new Catalog(catalogServices);
  const alert = primaryAlert(ctx.alerts);
  let window = ctx.window;
  // The whole window, not only the affected services: the cause is often a neighbour that shares a
  // dependency, and untagged telemetry would be lost to a service filter.
  const longer = {
    from: new Date(
      Math.min(Date.parse(window.from), Date.parse(window.to) - CHANGE_LOOKBACK_HOURS * 3_600_000),
    ).toISOString(),
    to: window.to,
  };
  const latent = {
    from: new Date(
      Math.min(Date.parse(longer.from), Date.parse(window.to) - LATENT_LOOKBACK_DAYS * 86_400_000),
    ).toISOString(),
    to: window.to,
  };
  let before = { from: longer.from, to: window.from };
  const readBefore = () => (Date.parse(before.from) < Date.parse(before.to) ? evidence.logs(before) : []);
  let [metrics, long, logs, earlierLogs, allChanges, alarms, security] = await Promise.all([
    evidence.metrics(window),
    evidence.metrics(longer),
    evidence.logs(window),
    readBefore(),
    evidence.changes(latent),
    evidence.alarms(window),
    evidence.security(latent),
  ]);
  const affected = affectedService(ctx, catalog, logs, window.to);
  let start = startedEarlier(metrics, long, window, affected);
  let recentFrom = longer.from;
  if (!startsInWindow(metrics, affected)) {
    // Reported days late ("since last week"): the day before the report may be the incident's
    // steady state throughout, or show only a later turn for the worse. The week's read says
    // where a shift still in force began; the changes of the day before that are the recent ones.
    const week = {
      from: new Date(Date.parse(window.to) - REPORT_LAG_DAYS * 86_400_000).toISOString(),
      to: window.to,
    };
    const began = startedEarlier(metrics, await evidence.metrics(week), window, affected);
    if (began && Date.parse(began) < Date.parse(longer.from)) {
      start = began;
      recentFrom = new Date(Date.parse(start) - CHANGE_LOOKBACK_HOURS * 3_600_000).toISOString();
    }
  }
  if (start) {
    // The hour read was the incident's steady state: read from the hour before it began instead.
    window = { from: new Date(Date.parse(start) - LOOKBACK_MINUTES * 60_000).toISOString(), to: window.to };
    before = { from: longer.from, to: window.from };
    [metrics, logs, earlierLogs, alarms] = await Promise.all([
      evidence.metrics(window),
      evidence.logs(window),
      readBefore(),
      evidence.alarms(window),
    ]);
  }
  const detected = ctx.incident.detectedAt ?? alert?.startedAt ?? window.to;
  // A line already logged as the earlier read begins was there all along: background, not a precursor.
  const began = (l: LogSignature) =>
    Date.parse(l.firstSeen) >= Date.parse(before.from) + CHRONIC_MARGIN_MIN * 60_000;
  const recent = (c: ChangeRecord) => Date.parse(c.at) >= Date.parse(recentFrom);
  const madeChanges = allChanges.filter((c) => !readOnlyCall(c));
  const changes = madeChanges.filter(recent);
  const olderChanges = madeChanges.filter((c) => !recent(c));
  const alertAt = new Date(Math.min(Date.parse(detected), Date.parse(window.to))).toISOString();
  return {
    alert,
    alertResolved: resolvedAtSource(ctx.alerts, alert),
    service: affectedService(ctx, catalog, logs, alertAt),
    catalog,
    window,
    alertAt,
    metrics: withBaseline(metrics, long, window),
    trends: long.filter((m) => ACCUMULATING.has(metricKind(m)) || ['traffic', 'cpu'].includes(metricKind(m))),
    logs,
    earlierLogs: earlierLogs.filter(began),
    changes,
    olderChanges,
    settings: allChanges.filter(readOnlyCall),
    alarms,
    security,
  };
}
