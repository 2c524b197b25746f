/**
 * Metric series from CloudWatch GetMetricData: the catalog's metrics for the services asked about,
 * over a bounded window, at a period coarse enough that no series exceeds its point limit.
 */
import {
  type CloudWatchClient,
  GetMetricDataCommand,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import { distinctIds, metricId } from '../../../domain/evidence/signatures.js';
import type { MetricSeries, TimeWindow } from '../../../domain/ports.js';
import { type AwsCatalog, inScope, type MetricRef } from './catalog.js';
import { boundWindow, type EvidenceLimits } from './limits.js';

const DAY_MS = 86_400_000;

/**
 * The period CloudWatch can answer for a window starting at `from`: a multiple of 60 s, of 300 s once
 * the start is more than 15 days old, of 3,600 s past 63 days; any other period returns no data for
 * that range (CloudWatch API reference, GetMetricData / MetricStat.Period). Coarsened further so the
 * window holds at most `maxPoints` points.
 */
export function periodFor(from: Date, to: Date, maxPoints: number, wanted = 60, now = new Date()): number {
  const age = now.getTime() - from.getTime();
  const unit = age > 63 * DAY_MS ? 3600 : age > 15 * DAY_MS ? 300 : 60;
  const span = Math.max(60, (to.getTime() - from.getTime()) / 1000);
  const seconds = Math.max(unit, wanted, span / maxPoints);
  return Math.ceil(seconds / unit) * unit;
}

export interface MetricRequest {
  ref: MetricRef;
  service?: string;
}

/** Runs GetMetricData for the given metrics (500 queries a call, a few pages each) and shapes the series. */
export async function getMetricSeries(
  cloudwatch: CloudWatchClient,
  requests: MetricRequest[],
  window: { from: Date; to: Date },
  limits: Pick<EvidenceLimits, 'maxSeries' | 'maxPointsPerSeries' | 'maxMetricPages'>,
  now: Date = new Date(),
): Promise<MetricSeries[]> {
  const chosen = requests.slice(0, limits.maxSeries);
  if (!chosen.length) return [];
  const points = new Map<string, Array<[string, number]>>();
  for (let offset = 0; offset < chosen.length; offset += 500) {
    const batch = chosen.slice(offset, offset + 500);
    const queries: MetricDataQuery[] = batch.map((r, i) => ({
      Id: `m${offset + i}`,
      ReturnData: true,
      MetricStat: {
        Metric: {
          Namespace: r.ref.namespace,
          MetricName: r.ref.metricName,
          Dimensions: Object.entries(r.ref.dimensions).map(([Name, Value]) => ({ Name, Value })),
        },
        Period: periodFor(window.from, window.to, limits.maxPointsPerSeries, r.ref.periodSeconds, now),
        Stat: r.ref.stat,
      },
    }));
    let token: string | undefined;
    let pages = 0;
    do {
      const out = await cloudwatch.send(
        new GetMetricDataCommand({
          MetricDataQueries: queries,
          StartTime: window.from,
          EndTime: window.to,
          // Newest first: when the page bound cuts a read short, the points dropped are the oldest,
          // not the ones around the incident.
          ScanBy: 'TimestampDescending',
          NextToken: token,
        }),
      );
      for (const result of out.MetricDataResults ?? []) {
        if (!result.Id) continue;
        const list = points.get(result.Id) ?? [];
        const times = result.Timestamps ?? [];
        const values = result.Values ?? [];
        for (let i = 0; i < Math.min(times.length, values.length); i++) {
          list.push([new Date(times[i]).toISOString(), values[i]]);
        }
        points.set(result.Id, list);
      }
      token = out.NextToken;
      pages++;
    } while (token && pages < limits.maxMetricPages);
  }
  // A metric the catalog reads twice (its average and its maximum) is two series with two ids.
  const ids = distinctIds(
    chosen.map((r) => ({
      id: metricId(r.ref.namespace, r.ref.metricName, r.ref.dimensions),
      stat: r.ref.stat,
      periodSeconds: r.ref.periodSeconds,
    })),
  ).map((x) => x.id);
  return chosen
    .map((r, i) => ({
      id: ids[i],
      namespace: r.ref.namespace,
      metricName: r.ref.metricName,
      dimensions: r.ref.dimensions,
      stat: r.ref.stat,
      unit: r.ref.unit,
      service: r.service,
      points: (points.get(`m${i}`) ?? [])
        .sort((a, b) => a[0].localeCompare(b[0]))
        .slice(-limits.maxPointsPerSeries),
    }))
    .filter((s) => s.points.length > 0);
}

/** The catalog's metrics for the services asked about. */
export async function catalogMetrics(
  cloudwatch: CloudWatchClient,
  catalog: AwsCatalog,
  q: TimeWindow & { services?: string[] },
  limits: EvidenceLimits,
  now: Date = new Date(),
): Promise<MetricSeries[]> {
  const requests = inScope(catalog, q.services).flatMap((s) =>
    s.metrics.map((ref) => ({ ref, service: s.name })),
  );
  return getMetricSeries(cloudwatch, requests, boundWindow(q, limits.maxWindowMinutes), limits, now);
}
