/**
 * The failure knowledge as data: the same evidence read with and without one entry. The entries
 * here are written for the test (parsed by the library's own schema), so what changes the answer is
 * the data, never a rule about these incidents.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { parseKnowledgeData } from '../../../../domain/knowledge/load.js';
import type { KnowledgeEntry } from '../../../../domain/knowledge/schema.js';
import type { RootCause } from '../../../../domain/model.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const ENTRIES = parseKnowledgeData(
  {
    entries: [
      {
        id: 'test-storage-full',
        title: 'Database storage full: writes refused',
        technologies: ['postgresql'],
        category: 'database',
        role: 'cause',
        blames: 'self',
        specificity: 'high',
        meaning: 'The database ran out of disk and refuses every write until space is freed.',
        match: { logs: ['could not extend file .*No space left on device'] },
        rulesOut: [{ category: 'capacity', reason: 'adding consumers does not free disk on the database' }],
        mitigations: ['scale'],
        examples: { logs: ['ERROR: could not extend file "base/16384/2619": No space left on device'] },
        source: 'https://www.postgresql.org/docs/current/disk-full.html',
      },
      {
        id: 'test-regex-backtracking',
        title: 'Catastrophic regex backtracking',
        technologies: ['regex'],
        category: 'code',
        role: 'cause',
        blames: 'self',
        specificity: 'high',
        meaning:
          'A regular expression with nested quantifiers backtracks exponentially on some inputs and pins the CPU.',
        match: { logs: ['slow regex evaluation: \\d+ ?ms'] },
        rulesOut: [{ category: 'capacity', reason: 'more CPU only runs the same backtracking faster' }],
        mitigations: ['rollback', 'restart'],
        examples: { logs: ['WARN slow regex evaluation: 4210ms pattern=(a+)+$'] },
        source: 'https://owasp.org/www-community/attacks/Regular_expression_Denial_of_Service_-_ReDoS',
      },
      {
        id: 'test-mesh-route-withdrawn',
        title: 'Mesh control plane withdrew a route',
        technologies: ['control-plane'],
        category: 'dependency',
        role: 'cause',
        blames: 'peer',
        specificity: 'high',
        meaning: 'The control plane sent an update without the listener the client was using.',
        match: { logs: ['resource removed by control plane'] },
        rulesOut: [],
        mitigations: [],
        examples: { logs: ['UNAVAILABLE: listener backend.internal:443 resource removed by control plane'] },
        source: 'https://www.envoyproxy.io/docs/envoy/latest/api-docs/xds_protocol',
      },
      {
        id: 'test-stack-deleted',
        title: 'Infrastructure deleted by automation',
        technologies: ['cloudformation'],
        category: 'configuration',
        role: 'cause',
        blames: 'self',
        specificity: 'high',
        meaning: 'A job deleted live stacks; what they held is gone until rebuilt.',
        match: { changes: ['^DeleteStack\\b'] },
        rulesOut: [],
        mitigations: [],
        examples: { changes: ['DeleteStack web-prod'] },
        source: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DeleteStack.html',
      },
    ],
  },
  'test-entries.json',
);

const conclude = async (s: Scenario, knowledge: readonly KnowledgeEntry[]): Promise<RootCause> =>
  (await runScenario(s, { knowledge })).rootCause;

/** Writes refused by a full database back up a queue: the backlog is a symptom, not the cause. */
const fullDatabase = scenario('orders-api', {
  services: [
    api('orders-api', ['orders-db', 'order-queue']),
    { name: 'orders-db', tier: 'critical' },
    { name: 'order-queue', tier: 'high' },
  ],
  metrics: [
    {
      namespace: 'AWS/SQS',
      metricName: 'ApproximateNumberOfMessagesVisible',
      service: 'order-queue',
      points: stepPoints(40, 9000, -20, 4),
    },
    {
      namespace: 'App',
      metricName: 'Errors',
      service: 'orders-api',
      points: stepPoints(1, 300, -21, 0.5),
    },
  ],
  logs: [
    {
      service: 'orders-api',
      timestamp: at(-21),
      level: 'ERROR',
      message: 'PSQLException: ERROR: could not extend file "base/16384/2619": No space left on device',
      count: 120_000,
    },
  ],
});

/** CPU pinned on one service, with the service's own warnings timing one regular expression. */
const slowRegex = scenario('search-api', {
  services: [api('search-api')],
  metrics: [
    {
      namespace: 'AWS/ECS',
      metricName: 'CPUUtilization',
      service: 'search-api',
      unit: 'Percent',
      points: stepPoints(35, 99, -15, 2),
    },
    {
      namespace: 'App',
      metricName: 'LatencyP99',
      service: 'search-api',
      unit: 'Milliseconds',
      points: stepPoints(80, 9000, -15, 5),
    },
  ],
  logs: [
    {
      service: 'search-api',
      timestamp: at(-15),
      level: 'WARN',
      message: 'slow regex evaluation: 4312ms pattern=^(\\s+|\\w+)*$ input_length=20000',
      count: 4000,
    },
  ],
});

describe('failure knowledge as data', () => {
  it('reads a database refusing writes in its own words as a database cause, not a backlog to scale', async () => {
    const rc = await conclude(fullDatabase, ENTRIES);
    expect(rc.category).toBe('database');
    expect(rc.culprit).toBe('orders-db');
    expect(rc.signatures).toContain('test-storage-full');
    expect(rc.summary).toMatch(/No space left on device/);
  });

  it('takes a pathological regex from its own warnings instead of calling it a CPU shortage', async () => {
    const without = await conclude(slowRegex, []);
    const withEntry = await conclude(slowRegex, ENTRIES);
    expect(withEntry.category).toBe('code');
    expect(withEntry.culprit).toBe('search-api');
    expect(withEntry.signatures).toEqual(['test-regex-backtracking']);
    expect(withEntry.mitigation?.kind).not.toBe('scale');
    // The same evidence without the entry is read differently: the entry, as data, decides.
    expect(without.signatures ?? []).toEqual([]);
    expect(without.category).not.toBe('code');
  });

  it('blames the dependency the signature is about, not whichever dependency is failing', async () => {
    // Calls to accounts fail because the control plane withdrew their route; accounts itself
    // looks sick only because nothing reaches it.
    const s = scenario('login', {
      services: [
        api('login', ['accounts', 'mesh-control-plane']),
        { name: 'accounts', tier: 'critical', alarms: ['accounts-request-drop'] },
        { name: 'mesh-control-plane', tier: 'critical', owner: 'managed' },
      ],
      metrics: [
        {
          namespace: 'App',
          metricName: 'RequestCount',
          service: 'accounts',
          points: stepPoints(5000, 200, -10, 50),
        },
      ],
      alarmStates: [
        { name: 'accounts-request-drop', service: 'accounts', state: 'ALARM', timestamp: at(-8) },
      ],
      logs: [
        {
          service: 'login',
          timestamp: at(-10),
          level: 'ERROR',
          message: 'UNAVAILABLE: listener backend.internal:443 resource removed by control plane',
          count: 40_000,
        },
      ],
    });
    const rc = await conclude(s, ENTRIES);
    expect(rc.category).toBe('dependency');
    expect(rc.culprit).toBe('mesh-control-plane');
    expect(rc.signatures).toContain('test-mesh-route-withdrawn');
  });

  it('names the job that deleted several things as one cause, not each thing it deleted', async () => {
    const deleted = (m: number, resource: string) => ({
      timestamp: at(m),
      eventName: 'DeleteStack',
      service: 'cleanup-job',
      resource,
      summary: `stack delete ${resource}`,
    });
    const s = scenario('portal', {
      services: [
        api('portal', ['portal-db']),
        { name: 'portal-db', tier: 'critical' },
        { name: 'cleanup-job', tier: 'internal' },
      ],
      metrics: [
        {
          namespace: 'AWS/ApplicationELB',
          metricName: 'HTTPCode_ELB_5XX_Count',
          service: 'portal',
          points: stepPoints(2, 4000, -12, 1),
        },
      ],
      changes: [
        deleted(-14, 'portal-prod-east'),
        deleted(-13, 'portal-prod-west'),
        deleted(-13, 'portal-dr'),
      ],
    });
    const rc = await conclude(s, ENTRIES);
    expect(rc.category).toBe('configuration');
    expect(rc.culprit).toBe('cleanup-job');
  });
});
