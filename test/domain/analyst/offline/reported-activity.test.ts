/**
 * A report about hostile traffic (a log query someone ran, a cost anomaly) is written long after
 * the traffic it counts began. When the log lines carry the client it names, the first of them
 * dates the activity, and an attack dated that way is not "well after" the onset. A browser's
 * generic token names no one, and dates nothing.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (agent: string): Partial<Scenario['environment']> => ({
  services: [api('archive-downloads', ['s3:archives'])],
  securityEvents: [
    {
      timestamp: at(-5),
      kind: 'abusive-crawler',
      source: 'edge-logs',
      count: 40_000,
      detail: 'user agent FetchAllBot/3.2 from 900 distinct IPs repeatedly downloading the same archives',
    },
  ],
  metrics: [
    {
      namespace: 'AWS/CloudFront',
      metricName: 'Requests',
      service: 'archive-downloads',
      dimensions: { DistributionId: 'E1ABC' },
      points: stepPoints(400_000, 900_000, -50, 8_000),
    },
  ],
  logs: [
    {
      service: 'archive-downloads',
      timestamp: at(-47),
      level: 'INFO' as const,
      count: 1500,
      message: `GET /archives/big/latest.zip 200 184211904 "Mozilla/5.0 (compatible; ${agent})" Miss`,
    },
  ],
});

describe('activity a report names, dated by the logs', () => {
  it('blames the crawler whose own lines began with the onset', async () => {
    const run = await runScenario(
      scenario('archive-downloads', env('FetchAllBot/3.2'), 'download bytes high'),
    );
    expect(run.rootCause.category).toBe('security');
    expect(run.rootCause.mitigation?.kind).toBe('block-traffic');
  });

  it('does not date the report by lines that carry only a browser token', async () => {
    const run = await runScenario(
      scenario('archive-downloads', env('Windows NT 10.0'), 'download bytes high'),
    );
    expect(run.rootCause.category).not.toBe('security');
  });
});
