/**
 * A scenario as a live environment: its telemetry answers the Evidence port, and mitigation
 * actions change its alarm state as the scenario's `recovery` says. Used by local runs and tests.
 */
import type { Clock } from '../../../domain/clock.js';
import {
  distinctIds,
  logSample,
  logSignature,
  metricId,
  shortHash,
} from '../../../domain/evidence/signatures.js';
import type { MitigationAction } from '../../../domain/model.js';
import type {
  ActionOutcome,
  Actions,
  AlarmEvent,
  ChangeRecord,
  Evidence,
  LogSignature,
  MetricSeries,
  SecuritySignal,
  ServiceInfo,
  TimeWindow,
} from '../../../domain/ports.js';
import type { Scenario } from './schema.js';

const within = (at: string, w: TimeWindow) => at >= w.from && at <= w.to;
const ms = (s: string) => new Date(s).getTime();
const inWindow = (at: string, w: TimeWindow) => within(new Date(at).toISOString(), normalise(w));
const normalise = (w: TimeWindow): TimeWindow => ({
  from: new Date(w.from).toISOString(),
  to: new Date(w.to).toISOString(),
});
const matchesService = (service: string | undefined, services?: string[]) =>
  !services?.length || (service !== undefined && services.includes(service));

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40);

export class ScenarioEnvironment implements Evidence, Actions {
  readonly applied: Array<{ action: MitigationAction; at: string }> = [];

  constructor(
    private readonly scenario: Scenario,
    private readonly clock: Clock,
    /** When the fault was alerted: `self` recovery counts from here. */
    private readonly alertedAt: string,
  ) {}

  async services(): Promise<ServiceInfo[]> {
    return this.scenario.environment.services.map((s) => ({ ...s }));
  }

  async metrics(q: TimeWindow & { services?: string[] }): Promise<MetricSeries[]> {
    // Ids are told apart over the whole catalog, so every read gives a series the same one.
    const ids = distinctIds(
      this.scenario.environment.metrics.map((m) => ({
        id: metricId(m.namespace, m.metricName, m.dimensions),
        stat: m.stat,
        periodSeconds: m.periodSeconds,
      })),
    ).map((x) => x.id);
    return this.scenario.environment.metrics
      .map((m, i) => ({ m, id: ids[i] }))
      .filter(({ m }) => matchesService(m.service, q.services))
      .map(({ m, id }) => ({
        id,
        namespace: m.namespace,
        metricName: m.metricName,
        dimensions: m.dimensions ?? {},
        stat: m.stat,
        unit: m.unit,
        service: m.service,
        points: m.points
          .filter(([at]) => inWindow(at, q))
          .map(([at, v]) => [new Date(at).toISOString(), v] as [string, number]),
      }))
      .filter((m) => m.points.length > 0);
  }

  async logs(q: TimeWindow & { services?: string[] }): Promise<LogSignature[]> {
    const groups = new Map<string, LogSignature>();
    for (const line of this.scenario.environment.logs) {
      if (!inWindow(line.timestamp, q) || !matchesService(line.service, q.services)) continue;
      const signature = logSignature(line.message);
      const level = (line.level ?? 'INFO').toUpperCase();
      const key = `${line.service ?? ''}|${level}|${signature}`;
      const at = new Date(line.timestamp).toISOString();
      const existing = groups.get(key);
      if (existing) {
        existing.count += line.count ?? 1;
        if (at < existing.firstSeen) existing.firstSeen = at;
        if (at > existing.lastSeen) existing.lastSeen = at;
      } else {
        groups.set(key, {
          id: `log:${line.service ?? 'unknown'}:${shortHash(key)}`,
          service: line.service,
          level,
          signature,
          sample: logSample(line.message),
          count: line.count ?? 1,
          firstSeen: at,
          lastSeen: at,
        });
      }
    }
    return [...groups.values()].sort((a, b) => b.count - a.count);
  }

  async changes(q: TimeWindow & { services?: string[] }): Promise<ChangeRecord[]> {
    const env = this.scenario.environment;
    const deployments: ChangeRecord[] = env.deployments
      .filter((d) => inWindow(d.startedAt, q) && matchesService(d.service, q.services))
      .map((d) => ({
        id: `deploy:${d.service}@${d.version}`,
        kind: 'deployment',
        service: d.service,
        // When the rollout began, as CloudTrail and deploy tools stamp it (the AWS adapter reads the same).
        at: new Date(d.startedAt).toISOString(),
        summary: d.description ?? `${d.kind ?? 'deploy'} of ${d.service} ${d.version}`,
        version: d.version,
        previousVersion: d.previousVersion,
        status: d.status,
        actor: d.author,
        // The tool that ran the rollout (ecs, argocd, ansible) is where the record comes from.
        ...(d.kind ? { source: d.kind } : {}),
      }));
    const changes: ChangeRecord[] = env.changes
      .filter((c) => inWindow(c.timestamp, q) && matchesService(c.service, q.services))
      .map((c) => ({
        id: `change:${slug(c.eventName ?? c.summary)}@${new Date(c.timestamp).toISOString()}`,
        kind: 'change',
        service: c.service,
        at: new Date(c.timestamp).toISOString(),
        summary: c.summary,
        actor: c.actor,
        resource: c.resource,
        status: c.eventName,
        ...(c.source ? { source: c.source } : {}),
      }));
    return [...deployments, ...changes].sort((a, b) => a.at.localeCompare(b.at));
  }

  async alarms(q: TimeWindow & { services?: string[] }): Promise<AlarmEvent[]> {
    return this.scenario.environment.alarmStates
      .filter((a) => inWindow(a.timestamp, q) && matchesService(a.service, q.services))
      .map((a) => ({
        id: `alarm:${a.name}@${new Date(a.timestamp).toISOString()}`,
        name: a.name,
        service: a.service,
        state: a.state,
        at: new Date(a.timestamp).toISOString(),
      }));
  }

  async security(q: TimeWindow): Promise<SecuritySignal[]> {
    return this.scenario.environment.securityEvents
      .filter((s) => inWindow(s.timestamp, q))
      .map((s) => ({
        id: `security:${slug(s.kind)}@${new Date(s.timestamp).toISOString()}`,
        kind: s.kind,
        at: new Date(s.timestamp).toISOString(),
        source: s.source,
        count: s.count ?? 1,
        detail: s.detail ?? '',
      }));
  }

  /** ALARM until a listed action (or `self`) has had `afterSeconds` to take effect. */
  async alarmState(): Promise<'OK' | 'ALARM' | 'INSUFFICIENT_DATA'> {
    const { resolvedBy, afterSeconds = 0 } = this.scenario.environment.recovery;
    const now = this.clock.now().getTime();
    const settled = (since: string) => now >= ms(since) + afterSeconds * 1000;
    if (resolvedBy.includes('self') && settled(this.alertedAt)) return 'OK';
    const helped = this.applied.some(
      ({ action, at }) => resolvedBy.some((entry) => actionMatches(entry, action)) && settled(at),
    );
    return helped ? 'OK' : 'ALARM';
  }

  async execute(action: MitigationAction, opts: { dryRun: boolean }): Promise<ActionOutcome> {
    const before = { alarm: await this.alarmState() };
    if (opts.dryRun) {
      return {
        status: 'dry-run',
        before,
        after: before,
        detail: `simulated dry-run of ${action.kind} ${action.target}`,
      };
    }
    this.applied.push({ action, at: this.clock.now().toISOString() });
    return {
      status: 'applied',
      before,
      after: { applied: `${action.kind}:${action.target}` },
      detail: `simulated ${action.kind} of ${action.target}`,
    };
  }
}

/** `rollback` matches any rollback; `rollback:checkout` only a rollback of checkout. */
export function actionMatches(entry: string, action: MitigationAction): boolean {
  const [kind, target] = entry.split(':', 2);
  if (kind !== action.kind) return false;
  return !target || target.toLowerCase() === action.target.toLowerCase();
}
