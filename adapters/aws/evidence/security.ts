/**
 * Security signals: failed AWS console sign-ins from CloudTrail (ConsoleLogin events whose
 * responseElements say Failure), grouped by source address, and requests blocked by the configured
 * WAF web ACLs (AWS/WAFV2 BlockedRequests). GuardDuty findings are not read: the project does not ship
 * the GuardDuty client, and its findings reach most teams as EventBridge alerts already.
 */
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { SecuritySignal, TimeWindow } from '../../../domain/ports.js';
import type { AwsCatalog } from './catalog.js';
import { boundWindow, type EvidenceLimits } from './limits.js';
import { getMetricSeries } from './metrics.js';
import { lookup, type Trail } from './trail.js';

export async function consoleLoginFailures(
  cloudtrail: Trail,
  window: { from: Date; to: Date },
  maxPages: number,
): Promise<SecuritySignal[]> {
  const events = await lookup(cloudtrail, { key: 'EventName', value: 'ConsoleLogin' }, window, maxPages);
  const bySource = new Map<string, { first: string; count: number; users: Set<string> }>();
  for (const e of events) {
    if (e.response?.ConsoleLogin !== 'Failure') continue;
    const source = e.sourceIp ?? 'unknown';
    const entry = bySource.get(source) ?? { first: e.at, count: 0, users: new Set<string>() };
    entry.count++;
    if (e.at < entry.first) entry.first = e.at;
    if (e.user) entry.users.add(e.user);
    bySource.set(source, entry);
  }
  return [...bySource.entries()].map(([source, e]) => ({
    id: `security:console-login-failure@${e.first}#${source}`,
    kind: 'console-login-failure',
    at: e.first,
    source,
    count: e.count,
    detail: `${e.count} failed console sign-in(s) from ${source}${e.users.size ? ` for ${[...e.users].slice(0, 5).join(', ')}` : ''}`,
  }));
}

export async function wafBlocks(
  cloudwatchIn: (region: string | undefined) => CloudWatchClient,
  catalog: AwsCatalog,
  window: { from: Date; to: Date },
  limits: EvidenceLimits,
  now: Date = new Date(),
): Promise<SecuritySignal[]> {
  const acls = catalog.security.webAcls;
  if (!acls.length) return [];
  // One read per region the metrics live in: us-east-1 for CloudFront, each regional ACL's own.
  const byRegion = new Map<string | undefined, typeof acls>();
  for (const acl of acls) {
    const region = acl.scope === 'CLOUDFRONT' ? 'us-east-1' : acl.region;
    byRegion.set(region, [...(byRegion.get(region) ?? []), acl]);
  }
  const series = (
    await Promise.all(
      [...byRegion].map(([region, group]) =>
        getMetricSeries(
          cloudwatchIn(region),
          group.map((acl) => ({
            ref: {
              namespace: 'AWS/WAFV2',
              metricName: 'BlockedRequests',
              dimensions: {
                WebACL: acl.metricName ?? acl.name,
                ...(acl.scope === 'REGIONAL' && acl.region ? { Region: acl.region } : {}),
                Rule: acl.rule,
              },
              stat: 'Sum',
            },
          })),
          window,
          limits,
          now,
        ),
      ),
    )
  ).flat();
  return series.flatMap((s) => {
    const blocked = s.points.filter(([, v]) => v > 0);
    const total = blocked.reduce((sum, [, v]) => sum + v, 0);
    if (!total) return [];
    const acl = s.dimensions.WebACL;
    return [
      {
        id: `security:waf-blocks@${blocked[0][0]}#${acl}`,
        kind: 'waf-blocks',
        at: blocked[0][0],
        source: acl,
        count: Math.round(total),
        detail: `${Math.round(total)} requests blocked by web ACL ${acl} (rule ${s.dimensions.Rule}); peak ${Math.max(...blocked.map(([, v]) => v))} per period`,
      },
    ];
  });
}

export async function securitySignals(
  deps: {
    cloudtrail: Trail;
    cloudwatch: CloudWatchClient;
    cloudwatchIn: (region: string) => CloudWatchClient;
    now?: Date;
  },
  catalog: AwsCatalog,
  q: TimeWindow,
  limits: EvidenceLimits,
): Promise<SecuritySignal[]> {
  const w = boundWindow(q, limits.maxWindowMinutes);
  const [logins, waf] = await Promise.all([
    catalog.security.consoleLogins ? consoleLoginFailures(deps.cloudtrail, w, limits.maxTrailPages) : [],
    wafBlocks(
      (region) => (region ? deps.cloudwatchIn(region) : deps.cloudwatch),
      catalog,
      w,
      limits,
      deps.now,
    ),
  ]);
  return [...logins, ...waf].sort((a, b) => a.at.localeCompare(b.at));
}
