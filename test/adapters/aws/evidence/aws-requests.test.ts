/**
 * What the evidence adapters ask AWS, checked against the API references (issue #19): the parameters
 * AWS needs to answer the question Firebreak means to ask, and what is kept when a read is cut short.
 */
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  CloudWatchClient,
  DescribeAlarmHistoryCommand,
  GetMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  GetQueryResultsCommand,
  StartQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseCatalog } from '../../../../adapters/aws/evidence/catalog.js';
import { baseEventName } from '../../../../adapters/aws/evidence/changes.js';
import { AwsEvidence, type AwsEvidenceDeps } from '../../../../adapters/aws/evidence/index.js';
import { periodFor } from '../../../../adapters/aws/evidence/metrics.js';

const cw = mockClient(CloudWatchClient);
const logs = mockClient(CloudWatchLogsClient);
const trail = mockClient(CloudTrailClient);

beforeEach(() => {
  cw.reset();
  logs.reset();
  trail.reset();
});

const catalog = parseCatalog(
  JSON.stringify({
    services: [
      {
        name: 'checkout',
        alarms: ['checkout-composite'],
        metrics: [
          { namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: { FunctionName: 'checkout' } },
        ],
        logGroups: ['/aws/lambda/checkout', '/aws/lambda/checkout-gone'],
        resources: ['checkout-fn'],
      },
    ],
    security: {
      consoleLogins: false,
      webAcls: [
        { name: 'edge', metricName: 'edgeMetrics', scope: 'CLOUDFRONT' },
        { name: 'api', metricName: 'apiMetrics', scope: 'REGIONAL', region: 'eu-west-1' },
      ],
    },
  }),
);

const NOW = new Date('2026-03-10T14:05:00.000Z');
const window = { from: '2026-03-10T13:00:00.000Z', to: '2026-03-10T14:00:00.000Z' };
const evidence = (over: Partial<AwsEvidenceDeps> = {}) =>
  new AwsEvidence({
    cloudwatch: new CloudWatchClient({ region: 'eu-central-1' }),
    logs: new CloudWatchLogsClient({ region: 'eu-central-1' }),
    cloudtrail: new CloudTrailClient({ region: 'eu-central-1' }),
    catalog,
    sleep: async () => undefined,
    clock: { now: () => NOW },
    ...over,
  });

describe('DescribeAlarmHistory (CloudWatch API reference: AlarmTypes, ScanBy)', () => {
  it('asks for composite alarms too, newest first', async () => {
    cw.on(DescribeAlarmHistoryCommand).resolves({ AlarmHistoryItems: [] });
    await evidence().alarms({ ...window, services: ['checkout'] });
    const input = cw.commandCalls(DescribeAlarmHistoryCommand)[0].args[0].input;
    // Without AlarmTypes only metric alarms are returned: a composite alarm would have no history.
    expect(input.AlarmTypes).toEqual(['MetricAlarm', 'CompositeAlarm']);
    // One page of MaxRecords: descending keeps the records nearest the incident.
    expect(input.ScanBy).toBe('TimestampDescending');
  });
});

describe('CloudTrail Lambda event names carry the API version', () => {
  const event = (name: string, request: object, response: object, id: string, at: string) => ({
    EventId: id,
    EventName: name,
    EventTime: new Date(at),
    EventSource: 'lambda.amazonaws.com',
    Username: 'ci',
    Resources: [{ ResourceName: 'checkout-fn' }],
    CloudTrailEvent: JSON.stringify({ requestParameters: request, responseElements: response }),
  });

  it('recognises PublishVersion20150331 and UpdateAlias20150331 as deployments', async () => {
    trail.on(LookupEventsCommand).callsFake((input) =>
      input.LookupAttributes[0].AttributeKey === 'ResourceName'
        ? {
            Events: [
              event(
                'PublishVersion20150331',
                { functionName: 'checkout-fn' },
                { version: '42' },
                'p1aaaaaaaa',
                '2026-03-10T13:40:00Z',
              ),
              event(
                'UpdateAlias20150331',
                { functionName: 'checkout-fn', name: 'live', functionVersion: '42' },
                {},
                'p2bbbbbbbb',
                '2026-03-10T13:41:00Z',
              ),
            ],
          }
        : { Events: [] },
    );
    const changes = await evidence().changes(window);
    expect(changes.map((c) => [c.kind, c.id])).toEqual([
      ['deployment', 'deploy:checkout@42'],
      ['deployment', 'deploy:checkout@42'],
    ]);
    expect(changes[1].summary).toMatch(/^UpdateAlias of checkout to 42/);
  });

  it('strips only a date suffix', () => {
    expect(baseEventName('UpdateFunctionCode20150331v2')).toBe('UpdateFunctionCode');
    expect(baseEventName('UpdateService')).toBe('UpdateService');
    expect(baseEventName('PutBucketPolicy')).toBe('PutBucketPolicy');
  });
});

describe('CloudTrail LookupEvents is paced by the shared limiter', () => {
  it('takes one permit before every call, for changes and for security', async () => {
    trail.on(LookupEventsCommand).resolves({ Events: [], NextToken: 'more' });
    let permits = 0;
    const limiter = { acquire: async () => void permits++ };
    await evidence({ trailLimiter: limiter, limits: { maxTrailLookups: 2, maxTrailPages: 2 } }).changes(
      window,
    );
    expect(trail.commandCalls(LookupEventsCommand)).toHaveLength(4);
    expect(permits).toBe(4);
  });
});

describe('GetMetricData periods and scan order (CloudWatch API reference: MetricStat.Period)', () => {
  const day = 86_400_000;
  it('uses a multiple of 60 s within 15 days, 300 s past 15 days and 3,600 s past 63 days', () => {
    const hourAgo = (daysAgo: number) => {
      const to = new Date(NOW.getTime() - daysAgo * day);
      return [new Date(to.getTime() - 3_600_000), to] as const;
    };
    expect(periodFor(...hourAgo(1), 360, 60, NOW)).toBe(60);
    expect(periodFor(...hourAgo(20), 360, 60, NOW)).toBe(300);
    expect(periodFor(...hourAgo(70), 360, 60, NOW)).toBe(3600);
    // A catalog period that is not a multiple of the unit is rounded up to one.
    expect(periodFor(...hourAgo(1), 360, 90, NOW)).toBe(120);
    expect(periodFor(...hourAgo(20), 360, 420, NOW)).toBe(600);
  });

  it('asks for an answerable period for an old window, newest points first', async () => {
    cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    await evidence().metrics({ from: '2026-02-10T13:00:00.000Z', to: '2026-02-10T14:00:00.000Z' });
    const input = cw.commandCalls(GetMetricDataCommand)[0].args[0].input;
    expect(input.MetricDataQueries?.[0].MetricStat?.Period).toBe(300);
    expect(input.ScanBy).toBe('TimestampDescending');
  });

  it('keeps the newest points when the page bound cuts the read short', async () => {
    const t = (m: number) => new Date(Date.parse(window.from) + m * 60_000);
    // CloudWatch pages in the order ScanBy asks for.
    cw.on(GetMetricDataCommand).callsFake((input) => {
      const all = [0, 1, 58, 59];
      const ordered = input.ScanBy === 'TimestampDescending' ? [...all].reverse() : all;
      const page = input.NextToken ? ordered.slice(2) : ordered.slice(0, 2);
      return {
        MetricDataResults: [{ Id: 'm0', Timestamps: page.map(t), Values: page }],
        NextToken: input.NextToken ? undefined : 'next',
      };
    });
    const [series] = await evidence({ limits: { maxMetricPages: 1 } }).metrics(window);
    expect(series.points.map(([at]) => at)).toEqual([t(58).toISOString(), t(59).toISOString()]);
  });
});

describe('WAF BlockedRequests (AWS WAF metrics and dimensions)', () => {
  it('queries the visibility metric name, in us-east-1 for CloudFront and the ACL’s region otherwise', async () => {
    cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    const regions: string[] = [];
    const cloudwatchIn = (region: string) => {
      regions.push(region);
      return new CloudWatchClient({ region });
    };
    await evidence({ cloudwatchIn }).security(window);
    expect(regions.sort()).toEqual(['eu-west-1', 'us-east-1']);
    const calls = cw.commandCalls(GetMetricDataCommand);
    const byRegion = new Map<string, unknown>();
    for (const call of calls) {
      const region = await (call.thisValue as CloudWatchClient).config.region();
      byRegion.set(region, call.args[0].input.MetricDataQueries?.[0].MetricStat?.Metric?.Dimensions);
    }
    expect(byRegion.get('us-east-1')).toEqual([
      { Name: 'WebACL', Value: 'edgeMetrics' },
      { Name: 'Rule', Value: 'ALL' },
    ]);
    expect(byRegion.get('eu-west-1')).toEqual([
      { Name: 'WebACL', Value: 'apiMetrics' },
      { Name: 'Region', Value: 'eu-west-1' },
      { Name: 'Rule', Value: 'ALL' },
    ]);
  });
});

describe('Logs Insights (CloudWatch Logs API reference: StartQuery, GetQueryResults)', () => {
  it('reports a Failed, Cancelled or Timeout query instead of answering "no errors"', async () => {
    for (const status of ['Failed', 'Cancelled', 'Timeout'] as const) {
      logs.reset();
      logs.on(StartQueryCommand).resolves({ queryId: 'q' });
      logs.on(GetQueryResultsCommand).resolves({ status, results: [] });
      await expect(evidence().logs(window)).rejects.toMatchObject({ name: 'LogsQueryFailed' });
    }
  });

  it('asks again without the log group that does not exist', async () => {
    const missing = Object.assign(new Error('The specified log group does not exist.'), {
      name: 'ResourceNotFoundException',
    });
    logs.on(StartQueryCommand).callsFake((input) => {
      if (input.logGroupNames.includes('/aws/lambda/checkout-gone')) throw missing;
      return { queryId: 'q2' };
    });
    logs.on(DescribeLogGroupsCommand).callsFake((input) => ({
      logGroups:
        input.logGroupNamePrefix === '/aws/lambda/checkout'
          ? [{ logGroupName: '/aws/lambda/checkout' }, { logGroupName: '/aws/lambda/checkout-gone-not' }]
          : [{ logGroupName: '/aws/lambda/checkout-gone-not' }],
    }));
    logs.on(GetQueryResultsCommand).resolves({
      status: 'Complete',
      results: [
        [
          { field: '@timestamp', value: '2026-03-10 13:30:00.000' },
          { field: '@message', value: 'ERROR boom' },
          { field: '@log', value: '123456789012:/aws/lambda/checkout' },
        ],
      ],
    });
    const found = await evidence().logs(window);
    const starts = logs.commandCalls(StartQueryCommand).map((c) => c.args[0].input.logGroupNames);
    expect(starts).toEqual([['/aws/lambda/checkout', '/aws/lambda/checkout-gone'], ['/aws/lambda/checkout']]);
    expect(found).toHaveLength(1);
  });
});
