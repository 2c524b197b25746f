/**
 * Error signatures from CloudWatch Logs Insights: one query over the services' log groups for the
 * newest error-like lines in the window (at most `maxLogLines`), polled for a bounded time, then
 * clustered by shape here (the same signature rules as scenario telemetry). Counts are over the lines
 * returned: when more lines matched than the limit, the busiest signatures are still the busiest, but
 * their counts are a sample's.
 */
import {
  type CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  GetQueryResultsCommand,
  type ResultField,
  StartQueryCommand,
  StopQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { FirebreakError } from '../../../domain/errors.js';
import { logSample, logSignature, shortHash } from '../../../domain/evidence/signatures.js';
import type { LogSignature, TimeWindow } from '../../../domain/ports.js';
import { type AwsCatalog, inScope } from './catalog.js';
import { boundWindow, type EvidenceLimits } from './limits.js';

export const ERROR_LINES =
  '/(?i)(error|exception|fatal|panic|timed? ?out|refused|denied|throttl|unavailable|fail)/';

export const logsQuery = (limit: number) =>
  [
    'fields @timestamp, @message, @log',
    `| filter @message like ${ERROR_LINES}`,
    '| sort @timestamp desc',
    `| limit ${limit}`,
  ].join('\n');

const LEVEL = /\b(FATAL|CRITICAL|ERROR|WARN(?:ING)?|INFO|DEBUG)\b/i;

/** A line's level: a JSON `level` field, else the first level word, else ERROR (the query picked it). */
export function levelOf(message: string): string {
  const json = /"(?:level|severity|lvl)"\s*:\s*"([a-z]+)"/i.exec(message);
  const word = json?.[1] ?? LEVEL.exec(message)?.[1] ?? 'ERROR';
  const upper = word.toUpperCase();
  return upper === 'WARNING' ? 'WARN' : upper === 'CRITICAL' ? 'FATAL' : upper;
}

const field = (row: ResultField[], name: string) => row.find((f) => f.field === name)?.value;

export type Sleep = (ms: number) => Promise<void>;
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function logSignatures(
  logs: CloudWatchLogsClient,
  catalog: AwsCatalog,
  q: TimeWindow & { services?: string[] },
  limits: EvidenceLimits,
  sleep: Sleep = realSleep,
): Promise<LogSignature[]> {
  const owners = new Map<string, string>();
  for (const s of inScope(catalog, q.services))
    for (const g of s.logGroups) if (!owners.has(g)) owners.set(g, s.name);
  const groups = [...owners.keys()].slice(0, limits.maxLogGroups);
  if (!groups.length) return [];
  const w = boundWindow(q, limits.maxWindowMinutes);
  const start = (logGroupNames: string[]) =>
    logs.send(
      new StartQueryCommand({
        logGroupNames,
        startTime: Math.floor(w.from.getTime() / 1000),
        endTime: Math.ceil(w.to.getTime() / 1000),
        queryString: logsQuery(limits.maxLogLines),
        limit: limits.maxLogLines,
      }),
    );
  let started: Awaited<ReturnType<typeof start>>;
  try {
    started = await start(groups);
  } catch (err) {
    // StartQuery refuses the whole query when any one log group does not exist (CloudWatch Logs API
    // reference, StartQuery: ResourceNotFoundException): ask again over the groups that do.
    if ((err as Error).name !== 'ResourceNotFoundException') throw err;
    const existing = await existingGroups(logs, groups);
    if (!existing.length) return [];
    started = await start(existing);
  }
  const queryId = started.queryId;
  if (!queryId) return [];

  const deadline = Date.now() + limits.logMaxWaitMs;
  let rows: ResultField[][] = [];
  for (;;) {
    const out = await logs.send(new GetQueryResultsCommand({ queryId }));
    if (out.status && FAILED.has(out.status)) {
      // Failed, Cancelled, Timeout, Unknown: whatever rows came back are not the answer, and an
      // empty one would read as "no errors in the logs" (GetQueryResults: status).
      throw new LogsQueryFailed(`Logs Insights query ${queryId} ended ${out.status}`);
    }
    rows = out.results ?? rows;
    if (out.status === 'Complete') break;
    if (Date.now() + limits.logPollIntervalMs > deadline) {
      // Out of time: keep the partial results and stop the query so it stops costing.
      await logs.send(new StopQueryCommand({ queryId })).catch(() => undefined);
      break;
    }
    await sleep(limits.logPollIntervalMs);
  }
  return cluster(rows, owners);
}

const FAILED = new Set(['Failed', 'Cancelled', 'Timeout', 'Unknown']);

/** A Logs Insights query that ended without an answer. */
export class LogsQueryFailed extends FirebreakError {
  override name = 'LogsQueryFailed';
}

/** The groups among `names` that exist (DescribeLogGroups by prefix, matched exactly). */
async function existingGroups(logs: CloudWatchLogsClient, names: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const name of names) {
    const out = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name, limit: 50 }));
    if ((out.logGroups ?? []).some((g) => g.logGroupName === name)) found.push(name);
  }
  return found;
}

/** Groups lines by service, level and shape; busiest first. */
export function cluster(rows: ResultField[][], owners: Map<string, string>): LogSignature[] {
  const groups = new Map<string, LogSignature>();
  for (const row of rows) {
    const message = field(row, '@message');
    if (!message) continue;
    const stamp = field(row, '@timestamp');
    const at = stamp
      ? new Date(`${stamp.replace(' ', 'T')}${/Z|[+-]\d\d:?\d\d$/.test(stamp) ? '' : 'Z'}`)
      : undefined;
    const iso = at && !Number.isNaN(at.getTime()) ? at.toISOString() : new Date(0).toISOString();
    const logName = field(row, '@log') ?? '';
    const group = logName.includes(':') ? logName.slice(logName.indexOf(':') + 1) : logName;
    const service = owners.get(group);
    const level = levelOf(message);
    const signature = logSignature(message);
    const key = `${service ?? ''}|${level}|${signature}`;
    const existing = groups.get(key);
    if (existing) {
      existing.count += 1;
      if (iso < existing.firstSeen) existing.firstSeen = iso;
      if (iso > existing.lastSeen) existing.lastSeen = iso;
    } else {
      groups.set(key, {
        id: `log:${service ?? 'unknown'}:${shortHash(key)}`,
        service,
        level,
        signature,
        sample: logSample(message),
        count: 1,
        firstSeen: iso,
        lastSeen: iso,
      });
    }
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}
