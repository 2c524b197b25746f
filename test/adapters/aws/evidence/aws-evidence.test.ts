import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  CloudWatchClient,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  GetQueryResultsCommand,
  StartQueryCommand,
  StopQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseCatalog } from '../../../../adapters/aws/evidence/catalog.js';
import { AwsEvidence } from '../../../../adapters/aws/evidence/index.js';
import type { EvidenceLimits } from '../../../../adapters/aws/evidence/limits.js';
import { periodFor } from '../../../../adapters/aws/evidence/metrics.js';
import { ValidationError } from '../../../../domain/errors.js';

const cw = mockClient(CloudWatchClient);
const logs = mockClient(CloudWatchLogsClient);
const trail = mockClient(CloudTrailClient);

const catalog = parseCatalog(
  JSON.stringify({
    services: [
      {
        name: 'checkout',
        tier: 'critical',
        userFacing: true,
        dependsOn: ['payments-api'],
        alarms: ['checkout-5xx', 'checkout-latency'],
        metrics: [
          {
            namespace: 'AWS/ApplicationELB',
            metricName: 'HTTPCode_Target_5XX_Count',
            dimensions: { LoadBalancer: 'app/checkout/1' },
            stat: 'Sum',
          },
          {
            namespace: 'AWS/ECS',
            metricName: 'CPUUtilization',
            dimensions: { ServiceName: 'checkout', ClusterName: 'prod' },
          },
        ],
        logGroups: ['/ecs/prod/checkout'],
        resources: ['arn:aws:ecs:us-east-1:123456789012:service/prod/checkout'],
      },
      {
        name: 'payments-api',
        alarms: ['payments-errors'],
        metrics: [
          {
            namespace: 'AWS/Lambda',
            metricName: 'Errors',
            dimensions: { FunctionName: 'payments' },
            stat: 'Sum',
          },
        ],
        logGroups: ['/aws/lambda/payments'],
        resources: ['payments'],
      },
    ],
    security: { webAcls: [{ name: 'edge-acl', region: 'us-east-1' }] },
  }),
);

const window = { from: '2026-03-10T13:00:00.000Z', to: '2026-03-10T14:00:00.000Z' };
const evidence = (limits: Partial<EvidenceLimits> = {}) =>
  new AwsEvidence({
    cloudwatch: new CloudWatchClient({ region: 'us-east-1' }),
    logs: new CloudWatchLogsClient({ region: 'us-east-1' }),
    cloudtrail: new CloudTrailClient({ region: 'us-east-1' }),
    catalog,
    limits,
    sleep: async () => undefined,
    // Minutes after the window: CloudWatch still holds 1-minute points for it.
    clock: { now: () => new Date('2026-03-10T14:05:00.000Z') },
  });

beforeEach(() => {
  cw.reset();
  logs.reset();
  trail.reset();
});

describe('the AWS service catalog', () => {
  it('is parsed from configuration and refuses what it cannot read, naming the problem', () => {
    expect(catalog.services.map((s) => s.name)).toEqual(['checkout', 'payments-api']);
    expect(catalog.services[1].metrics[0].stat).toBe('Sum');
    expect(parseCatalog(undefined).services).toEqual([]);
    expect(() => parseCatalog('{nope')).toThrow(ValidationError);
    try {
      parseCatalog(JSON.stringify({ services: [{ name: '', metrics: [{ namespace: 'x' }] }] }));
      expect.unreachable();
    } catch (err) {
      expect((err as ValidationError).issues.join(' ')).toMatch(/services\.0\.name/);
    }
  });

  it('answers services() with the catalog facts only', async () => {
    const [checkout] = await evidence().services();
    expect(checkout).toEqual({
      name: 'checkout',
      tier: 'critical',
      owner: undefined,
      dependsOn: ['payments-api'],
      alarms: ['checkout-5xx', 'checkout-latency'],
      userFacing: true,
    });
  });
});

describe('metrics from GetMetricData', () => {
  it('gives a metric the catalog reads with two statistics two ids', async () => {
    const cpu = { namespace: 'AWS/ECS', metricName: 'CPUUtilization', dimensions: { ServiceName: 'worker' } };
    const twice = parseCatalog(
      JSON.stringify({
        services: [
          {
            name: 'worker',
            metrics: [
              { ...cpu, stat: 'Average' },
              { ...cpu, stat: 'Maximum' },
            ],
          },
        ],
      }),
    );
    cw.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'm0', Timestamps: [new Date('2026-03-10T13:01:00Z')], Values: [9.7] },
        { Id: 'm1', Timestamps: [new Date('2026-03-10T13:01:00Z')], Values: [100] },
      ],
    });
    const series = await new AwsEvidence({
      cloudwatch: new CloudWatchClient({ region: 'us-east-1' }),
      logs: new CloudWatchLogsClient({ region: 'us-east-1' }),
      cloudtrail: new CloudTrailClient({ region: 'us-east-1' }),
      catalog: twice,
      sleep: async () => undefined,
      clock: { now: () => new Date('2026-03-10T14:05:00.000Z') },
    }).metrics(window);
    expect(series.map((m) => [m.id, m.points[0][1]])).toEqual([
      ['metric:AWS/ECS/CPUUtilization[worker]', 9.7],
      ['metric:AWS/ECS/CPUUtilization[worker]:Maximum', 100],
    ]);
  });

  it('asks for the catalog metrics of the services named, shaped as cited series', async () => {
    cw.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        {
          Id: 'm0',
          Timestamps: [new Date('2026-03-10T13:02:00Z'), new Date('2026-03-10T13:01:00Z')],
          Values: [250, 3],
        },
        { Id: 'm1', Timestamps: [], Values: [] },
      ],
    });
    const series = await evidence().metrics({ ...window, services: ['checkout'] });
    const [call] = cw.commandCalls(GetMetricDataCommand);
    const queries = call.args[0].input.MetricDataQueries ?? [];
    expect(queries).toHaveLength(2);
    expect(queries[0].MetricStat).toMatchObject({
      Metric: {
        Namespace: 'AWS/ApplicationELB',
        Dimensions: [{ Name: 'LoadBalancer', Value: 'app/checkout/1' }],
      },
      Period: 60,
      Stat: 'Sum',
    });
    expect(series).toHaveLength(1);
    expect(series[0]).toMatchObject({
      id: 'metric:AWS/ApplicationELB/HTTPCode_Target_5XX_Count[app/checkout/1]',
      service: 'checkout',
      points: [
        ['2026-03-10T13:01:00.000Z', 3],
        ['2026-03-10T13:02:00.000Z', 250],
      ],
    });
  });

  it('bounds the window, coarsens the period and stops paging at the limit', async () => {
    cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [], NextToken: 'more' });
    await evidence({ maxWindowMinutes: 360, maxMetricPages: 2 }).metrics({
      from: '2026-03-01T00:00:00.000Z',
      to: '2026-03-10T14:00:00.000Z',
    });
    const calls = cw.commandCalls(GetMetricDataCommand);
    expect(calls).toHaveLength(2);
    const input = calls[0].args[0].input;
    expect(input.StartTime).toEqual(new Date('2026-03-10T08:00:00.000Z'));
    expect(input.MetricDataQueries?.[0].MetricStat?.Period).toBe(60);
    expect(
      periodFor(
        new Date('2026-03-09T14:00:00Z'),
        new Date('2026-03-10T14:00:00Z'),
        360,
        60,
        new Date('2026-03-10T14:00:00Z'),
      ),
    ).toBe(240);
  });
});

describe('logs from Logs Insights', () => {
  const row = (ts: string, message: string, group = '/ecs/prod/checkout') => [
    { field: '@timestamp', value: ts },
    { field: '@message', value: message },
    { field: '@log', value: `123456789012:${group}` },
  ];

  it('queries the services’ log groups, polls until complete and clusters the lines', async () => {
    logs.on(StartQueryCommand).resolves({ queryId: 'q-1' });
    logs
      .on(GetQueryResultsCommand)
      .resolvesOnce({ status: 'Running', results: [] })
      .resolves({
        status: 'Complete',
        results: [
          row('2026-03-10 13:41:02.120', 'ERROR timeout after 5012ms calling 10.0.3.7:443'),
          row('2026-03-10 13:40:01.000', 'ERROR timeout after 4988ms calling 10.0.9.1:443'),
          row(
            '2026-03-10 13:42:00.000',
            '{"level":"warn","msg":"retry budget exhausted"}',
            '/aws/lambda/payments',
          ),
        ],
      });
    const found = await evidence().logs(window);
    const start = logs.commandCalls(StartQueryCommand)[0].args[0].input;
    expect(start.logGroupNames).toEqual(['/ecs/prod/checkout', '/aws/lambda/payments']);
    expect(start.queryString).toMatch(/filter @message like/);
    expect(start.queryString).toMatch(/limit 2000/);
    expect(start.startTime).toBe(Date.parse(window.from) / 1000);
    expect(logs.commandCalls(GetQueryResultsCommand)).toHaveLength(2);
    expect(found[0]).toMatchObject({
      service: 'checkout',
      level: 'ERROR',
      count: 2,
      firstSeen: '2026-03-10T13:40:01.000Z',
      lastSeen: '2026-03-10T13:41:02.120Z',
    });
    expect(found[0].id).toMatch(/^log:checkout:[0-9a-f]{8}$/);
    expect(found[1]).toMatchObject({ service: 'payments-api', level: 'WARN', count: 1 });
  });

  it('stops polling at the bound, stops the query and keeps the partial results', async () => {
    logs.on(StartQueryCommand).resolves({ queryId: 'q-2' });
    logs
      .on(GetQueryResultsCommand)
      .resolves({ status: 'Running', results: [row('2026-03-10 13:41:00', 'ERROR boom')] });
    logs.on(StopQueryCommand).resolves({ success: true });
    const found = await evidence({ logMaxWaitMs: 0, logPollIntervalMs: 10 }).logs(window);
    expect(logs.commandCalls(GetQueryResultsCommand)).toHaveLength(1);
    expect(logs.commandCalls(StopQueryCommand)[0].args[0].input).toEqual({ queryId: 'q-2' });
    expect(found).toHaveLength(1);
  });

  it('asks nothing when the services have no log groups', async () => {
    const found = await evidence().logs({ ...window, services: ['unknown'] });
    expect(found).toEqual([]);
    expect(logs.commandCalls(StartQueryCommand)).toHaveLength(0);
  });
});

const trailEvent = (over: {
  id: string;
  name: string;
  at: string;
  source?: string;
  resources?: string[];
  request?: unknown;
  response?: unknown;
  errorCode?: string;
  ip?: string;
  user?: string;
}) => ({
  EventId: over.id,
  EventName: over.name,
  EventTime: new Date(over.at),
  EventSource: over.source ?? 'ecs.amazonaws.com',
  Username: over.user ?? 'deployer',
  Resources: (over.resources ?? []).map((ResourceName) => ({ ResourceName })),
  CloudTrailEvent: JSON.stringify({
    requestParameters: over.request ?? {},
    responseElements: over.response ?? {},
    errorCode: over.errorCode,
    sourceIPAddress: over.ip,
  }),
});

describe('changes from CloudTrail', () => {
  it('turns deployments and platform changes into change records and drops failed calls', async () => {
    const ecs = 'arn:aws:ecs:us-east-1:123456789012:service/prod/checkout';
    trail.on(LookupEventsCommand).callsFake((input) => {
      const attr = input.LookupAttributes[0];
      if (attr.AttributeKey === 'ResourceName' && attr.AttributeValue === ecs) {
        return {
          Events: [
            trailEvent({
              id: 'e1aaaaaaaa',
              name: 'UpdateService',
              at: '2026-03-10T13:50:00Z',
              resources: [ecs],
              request: {
                service: 'checkout',
                taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/checkout:188',
              },
              response: {
                service: {
                  deployments: [
                    {
                      status: 'PRIMARY',
                      taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/checkout:188',
                    },
                    {
                      status: 'ACTIVE',
                      taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/checkout:187',
                    },
                  ],
                },
              },
            }),
            trailEvent({
              id: 'e2bbbbbbbb',
              name: 'UpdateService',
              at: '2026-03-10T13:55:00Z',
              resources: [ecs],
              errorCode: 'AccessDenied',
            }),
          ],
        };
      }
      if (attr.AttributeKey === 'ReadOnly') {
        return {
          Events: [
            trailEvent({
              id: 'e3cccccccc',
              name: 'ReplaceNetworkAclEntry',
              source: 'ec2.amazonaws.com',
              at: '2026-03-10T13:30:00Z',
              resources: ['acl-0f3e9a1b'],
            }),
            trailEvent({
              id: 'e4dddddddd',
              name: 'CreateLogStream',
              source: 'logs.amazonaws.com',
              at: '2026-03-10T13:31:00Z',
            }),
            trailEvent({
              id: 'e5eeeeeeee',
              name: 'UpdateFunctionConfiguration20150331v2',
              source: 'lambda.amazonaws.com',
              at: '2026-03-10T13:20:00Z',
              resources: ['payments'],
              request: { functionName: 'payments' },
            }),
          ],
        };
      }
      return { Events: [] };
    });
    const changes = await evidence().changes(window);
    expect(changes.map((c) => c.id)).toEqual([
      'change:updatefunctionconfiguration20150331v2@2026-03-10T13:20:00.000Z#e5eeeeee',
      'change:replacenetworkaclentry@2026-03-10T13:30:00.000Z#e3cccccc',
      'deploy:checkout@188',
    ]);
    expect(changes[2]).toMatchObject({
      kind: 'deployment',
      service: 'checkout',
      version: '188',
      previousVersion: '187',
      actor: 'deployer',
    });
    expect(changes[0]).toMatchObject({ kind: 'change', service: 'payments-api', resource: 'payments' });
    expect(changes[1]).toMatchObject({ kind: 'change', service: undefined, resource: 'acl-0f3e9a1b' });
  });

  it('bounds its look-ups and pages', async () => {
    trail.on(LookupEventsCommand).resolves({ Events: [], NextToken: 'more' });
    await evidence({ maxTrailLookups: 2, maxTrailPages: 3 }).changes(window);
    const calls = trail.commandCalls(LookupEventsCommand);
    // One resource look-up and the write-events look-up, three pages each.
    expect(calls).toHaveLength(6);
    expect(calls.every((c) => c.args[0].input.MaxResults === 50)).toBe(true);
    expect(calls[0].args[0].input.StartTime).toEqual(new Date(window.from));
  });
});

describe('alarms from CloudWatch', () => {
  it('reads the state history of the catalog alarms', async () => {
    cw.on(DescribeAlarmHistoryCommand).callsFake((input) => ({
      AlarmHistoryItems:
        input.AlarmName === 'checkout-5xx'
          ? [
              {
                AlarmName: 'checkout-5xx',
                Timestamp: new Date('2026-03-10T13:52:00Z'),
                HistoryItemType: 'StateUpdate',
                HistoryData: JSON.stringify({
                  oldState: { stateValue: 'OK' },
                  newState: { stateValue: 'ALARM' },
                }),
              },
              {
                AlarmName: 'checkout-5xx',
                Timestamp: new Date('2026-03-10T13:53:00Z'),
                HistoryData: 'not json',
              },
            ]
          : [],
    }));
    const events = await evidence().alarms({ ...window, services: ['checkout'] });
    expect(cw.commandCalls(DescribeAlarmHistoryCommand).map((c) => c.args[0].input.AlarmName)).toEqual([
      'checkout-5xx',
      'checkout-latency',
    ]);
    expect(events).toEqual([
      {
        id: 'alarm:checkout-5xx@2026-03-10T13:52:00.000Z',
        name: 'checkout-5xx',
        service: 'checkout',
        state: 'ALARM',
        at: '2026-03-10T13:52:00.000Z',
      },
    ]);
  });

  it('reports the current state of an alarm or of a service’s alarms', async () => {
    cw.on(DescribeAlarmsCommand).callsFake((input) => ({
      MetricAlarms: input.AlarmNames.map((name: string) => ({
        AlarmName: name,
        StateValue: name === 'checkout-latency' ? 'ALARM' : 'OK',
      })),
    }));
    const e = evidence();
    expect(await e.alarmState({ service: 'checkout' })).toBe('ALARM');
    expect(await e.alarmState({ name: 'checkout-5xx' })).toBe('OK');
    expect(await e.alarmState({ service: 'nobody' })).toBe('INSUFFICIENT_DATA');
    expect(cw.commandCalls(DescribeAlarmsCommand)).toHaveLength(2);
  });
});

describe('security signals', () => {
  it('groups failed console sign-ins by source and counts WAF blocks', async () => {
    trail.on(LookupEventsCommand).resolves({
      Events: [
        trailEvent({
          id: 'l1',
          name: 'ConsoleLogin',
          source: 'signin.amazonaws.com',
          at: '2026-03-10T13:10:00Z',
          response: { ConsoleLogin: 'Failure' },
          ip: '203.0.113.9',
          user: 'alice',
        }),
        trailEvent({
          id: 'l2',
          name: 'ConsoleLogin',
          source: 'signin.amazonaws.com',
          at: '2026-03-10T13:09:00Z',
          response: { ConsoleLogin: 'Failure' },
          ip: '203.0.113.9',
          user: 'bob',
        }),
        trailEvent({
          id: 'l3',
          name: 'ConsoleLogin',
          source: 'signin.amazonaws.com',
          at: '2026-03-10T13:11:00Z',
          response: { ConsoleLogin: 'Success' },
          ip: '198.51.100.1',
        }),
      ],
    });
    cw.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        {
          Id: 'm0',
          Timestamps: [new Date('2026-03-10T13:20:00Z'), new Date('2026-03-10T13:21:00Z')],
          Values: [0, 900],
        },
      ],
    });
    const signals = await evidence().security(window);
    const login = trail.commandCalls(LookupEventsCommand)[0].args[0].input.LookupAttributes;
    expect(login).toEqual([{ AttributeKey: 'EventName', AttributeValue: 'ConsoleLogin' }]);
    const waf =
      cw.commandCalls(GetMetricDataCommand)[0].args[0].input.MetricDataQueries?.[0].MetricStat?.Metric;
    expect(waf?.Dimensions).toEqual([
      { Name: 'WebACL', Value: 'edge-acl' },
      { Name: 'Region', Value: 'us-east-1' },
      { Name: 'Rule', Value: 'ALL' },
    ]);
    expect(signals).toEqual([
      {
        id: 'security:console-login-failure@2026-03-10T13:09:00.000Z#203.0.113.9',
        kind: 'console-login-failure',
        at: '2026-03-10T13:09:00.000Z',
        source: '203.0.113.9',
        count: 2,
        detail: '2 failed console sign-in(s) from 203.0.113.9 for alice, bob',
      },
      expect.objectContaining({
        kind: 'waf-blocks',
        source: 'edge-acl',
        count: 900,
        at: '2026-03-10T13:21:00.000Z',
      }),
    ]);
  });
});
