/**
 * Runs every detector over one snapshot, in the order their answers depend on each other:
 * metric onsets → incident onset → error signatures (new vs chronic) → changes, saturation,
 * dependencies, security, noise. Pure and deterministic: same snapshot, same analysis.
 */
import type { KnowledgeEntry } from '../../knowledge/schema.js';
import { type ScoredChange, scoreChanges } from './evidence/changes.js';
import { type DependencyIssue, dependencyHealth } from './evidence/dependencies.js';
import { type NamedFallback, namedFallbacks } from './evidence/fallbacks.js';
import type { Snapshot } from './evidence/gather.js';
import { type KnowledgeHit, matchKnowledge } from './evidence/knowledge.js';
import { type RankedSignature, rankSignatures } from './evidence/logs.js';
import { assessNoise, type NoiseVerdict } from './evidence/noise.js';
import { detectSaturation, type Saturation } from './evidence/saturation.js';
import { detectSecurity, type SecurityIssue } from './evidence/security.js';
import { alarmDirection, incidentOnset, readSeries, type SeriesView } from './evidence/series.js';
import { type PoolHog, poolHogs } from './evidence/shared-pools.js';
import { type HotStatements, hotStatements } from './evidence/statements.js';
import { type KnownSwitch, knownSwitches } from './evidence/switches.js';
import { lower, ms, uniq } from './measure.js';

export interface Analysis {
  snap: Snapshot;
  views: SeriesView[];
  /** The longer look-back (`Snapshot.trends`): accumulating resources and traffic. */
  trends: SeriesView[];
  /** When the incident began (earliest related anomaly or first new error; else the alert). */
  onset: string;
  signatures: RankedSignature[];
  changes: ScoredChange[];
  /** Changes from before the change lookback, scored the same way, for `rank/latent.ts` only. */
  olderChanges: ScoredChange[];
  saturation: Saturation[];
  dependencies: DependencyIssue[];
  security: SecurityIssue[];
  /** Runaway consumers of a shared pool (account concurrency and the like). */
  hogs: PoolHog[];
  noise: NoiseVerdict;
  /** Evidence that matched a known failure signature. */
  knowledge: KnowledgeHit[];
  /** Flags the services' own logs name as a way around a failure (a fallback, a failover region). */
  fallbacks: NamedFallback[];
  /** Feature flags the evidence shows switched on (`rank/fallbacks.ts` offers them). */
  switches: KnownSwitch[];
  /** What each database spent its time on: its slowest statements' table and sender, by service. */
  statements: Map<string, HotStatements>;
  /** Every name an action target may be drawn from: catalog, deployed services, change resources. */
  knownNames: string[];
}

export function knownNames(snap: Snapshot): string[] {
  return uniq(
    [
      ...snap.catalog.names(),
      ...snap.changes.map((c) => c.service),
      ...snap.changes.map((c) => c.resource),
      ...snap.metrics.map((m) => m.service),
      ...snap.alarms.map((a) => a.service),
    ].filter((x): x is string => !!x && x.length >= 3),
  );
}

export function analyze(snap: Snapshot, knowledge: readonly KnowledgeEntry[] = []): Analysis {
  const alertText = `${snap.alert?.title ?? ''} ${snap.alert?.description ?? ''}`;
  const alertRaw = JSON.stringify(snap.alert?.raw ?? {});
  const views = readSeries(snap.metrics, {
    catalog: snap.catalog,
    service: snap.service,
    alertText,
    alertRaw,
  });
  const names = knownNames(snap);
  let onset = incidentOnset(views, snap.alertAt);
  let signatures = rankSignatures(snap.logs, { onset, knownNames: names });
  // No metric moved before the alert: let the first new error on the affected service or its
  // dependencies (within half an hour) mark the onset instead.
  if (onset === snap.alertAt) {
    const related = new Set([lower(snap.service), ...snap.catalog.dependencies(snap.service).map(lower)]);
    const firstErr = snap.logs
      .filter((l) => related.has(lower(l.service)) && /ERROR|FATAL|CRIT/.test(l.level))
      .map((l) => l.firstSeen)
      .filter((t) => ms(t) >= ms(snap.alertAt) - 30 * 60_000)
      .sort()[0];
    if (firstErr && firstErr < onset) {
      onset = firstErr;
      signatures = rankSignatures(snap.logs, { onset, knownNames: names });
    }
  }
  // A line that names a dependency of its service by a part of its name mentions that dependency.
  for (const s of signatures) {
    if (s.mentions.length) continue;
    const dep = snap.catalog.dependencyNamedIn(s.sig.service, s.sig.sample);
    if (dep) s.mentions = [dep];
  }
  const hogs = poolHogs(views, snap.catalog, snap.service);
  const trends = readSeries(snap.trends ?? [], {
    catalog: snap.catalog,
    service: snap.service,
    alertText,
    alertRaw,
  });
  const changeOpts = {
    trends,
    poolHogs: hogs.map((h) => h.service),
    catalog: snap.catalog,
    service: snap.service,
    onset,
    alertAt: snap.alertAt,
    signatures,
    series: views,
    logs: snap.logs,
  };
  const changes = scoreChanges(snap.changes, changeOpts);
  const olderChanges = scoreChanges(snap.olderChanges ?? [], changeOpts);
  const alarmName = snap.alert?.labels.alarmName ?? snap.alert?.title;
  return {
    snap,
    views,
    trends,
    onset,
    signatures,
    changes,
    olderChanges,
    saturation: detectSaturation(views),
    dependencies: dependencyHealth({
      failoverConfigs: snap.changes
        .filter((c) => /fail ?over|standby|secondary|replica/i.test(`${c.status ?? ''} ${c.resource ?? ''}`))
        .map((c) => `${c.resource ?? ''} ${c.summary}`),
      catalog: snap.catalog,
      service: snap.service,
      alertAlarm: alarmName,
      alarms: snap.alarms,
      series: views,
      signatures,
    }),
    security: detectSecurity(snap.security),
    hogs,
    noise: assessNoise({
      alertResolved: snap.alertResolved,
      alarmName,
      service: snap.service,
      alarms: snap.alarms,
      views,
      signatures,
      alarmFires: alarmDirection(alertRaw),
    }),
    knowledge: matchKnowledge(knowledge, {
      logs: snap.logs,
      earlierLogs: snap.earlierLogs,
      security: snap.security,
      changes: snap.changes,
      views,
      onset,
      knownNames: names,
    }),
    fallbacks: namedFallbacks(snap.logs, snap.catalog.names()),
    statements: hotStatements(snap.logs, snap.catalog.names()),
    switches: knownSwitches(
      [...olderChanges, ...changes],
      snap.settings ?? [],
      snap.logs,
      snap.catalog.names(),
    ),
    knownNames: names,
  };
}
