/**
 * A change minutes before the onset is not the cause by timing alone: a routine operation, a rule
 * that only allows more traffic, or a release whose errors are a limit its words say nothing about
 * (or that untouched peers share) gives way to the evidence. A release whose own service throws
 * right after it, with errors nobody else has, still wins.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import {
  affinity,
  customerInput,
  errorNames,
  routineReason,
  terms,
  widensOnly,
} from '../../../../domain/analyst/offline/evidence/change-relevance.js';
import type { ChangeRecord } from '../../../../domain/ports.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

type Env = Scenario['environment'];

const record = (summary: string, more: Partial<ChangeRecord> = {}): ChangeRecord => ({
  id: 'change:x',
  kind: 'change',
  at: at(-5),
  summary,
  ...more,
});

describe('routine operations', () => {
  it('names balancer rounds, compactions and allow-only rules', () => {
    expect(routineReason(record('Balancer round started: migrating chunks from s0 to s1'))).toMatch(
      /balancer round/,
    );
    expect(routineReason(record('Scheduled compaction of the event shards'))).toMatch(/compaction/);
    expect(routineReason(record('Rebalance partitions across brokers after adding kafka-7'))).toMatch(
      /rebalance/,
    );
    expect(
      routineReason(record('Allow tcp/9100 from 10.0.0.0/16', { status: 'AuthorizeSecurityGroupIngress' })),
    ).toMatch(/allows more/);
  });

  it('does not call a deliberate or destructive change routine, nor any deployment', () => {
    expect(routineReason(record('max_connections 500 -> 50', { status: 'ModifyDBParameterGroup' }))).toBe(
      undefined,
    );
    expect(routineReason(record('DeleteDBCluster: automated backups deleted with cluster'))).toBe(undefined);
    // Routing weights set anew decide where requests go: a deliberate change, whatever it is called.
    expect(
      routineReason(
        record('routine load-balancing change: rebalance weighted clusters std 124->88, long 1->12'),
      ),
    ).toBe(undefined);
    // A provider's notice of errors that lists snapshots among what it impairs.
    expect(
      routineReason(
        record('Increased Error Rates for Amazon S3; EBS volumes restored from snapshots also impaired', {
          status: 'AWS_S3_OPERATIONAL_ISSUE',
        }),
      ),
    ).toBe(undefined);
    expect(
      routineReason(record('Revoke tcp/5432 from 10.0.0.0/16', { status: 'RevokeSecurityGroupIngress' })),
    ).toBe(undefined);
    expect(routineReason(record('Weekly release with nightly backup fix', { kind: 'deployment' }))).toBe(
      undefined,
    );
    expect(widensOnly(record('allow tcp/443', { status: 'ReplaceNetworkAclEntry' }))).toBe(false);
    // A customer's own change is input, not a routine operation: weighed less, still a trigger.
    const customer = record('Escalation level removed', { actor: 'api-key:workspace-7' });
    expect(routineReason(customer)).toBe(undefined);
    expect(customerInput(customer)).toBe(true);
    expect(customerInput(record('Raise the export quota at the customer request', { actor: 'ops' }))).toBe(
      false,
    );
  });
});

describe('affinity between a change and the errors', () => {
  it('finds shared stems and ignores generic words and service names', () => {
    const prio = record('PriorityClass created with preemptionPolicy PreemptLowerPriority', {
      resource: 'priorityclass/ingester-critical',
    });
    expect(affinity(prio, 'Event Normal Preempted pod/distributor-x by ingester-24')).toContain('preemp');
    const label = record("Inbox filters: rename 'Waiting' to 'Waiting on customer'");
    expect(affinity(label, 'RangeError: 2147483648 is out of range for Integer with limit 4 bytes')).toEqual(
      [],
    );
    expect(terms('checkout-api failed with error', ['checkout-api']).size).toBe(0);
    expect([...errorNames('ActiveModel::RangeError (x); api error VcpuLimitExceeded')]).toEqual([
      'rangeerror',
      'vcpulimitexceeded',
    ]);
  });
});

/** orders-api and billing-worker share orders-db; a deploy of orders-api lands 4 min before onset. */
const limitEnv = (opts: { description: string; error: string; peerShares: boolean }): Partial<Env> => ({
  services: [
    api('orders-api', ['orders-db']),
    { name: 'billing-worker', tier: 'high' as const, dependsOn: ['orders-db'] },
    { name: 'orders-db', tier: 'critical' as const },
  ],
  metrics: [
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_Target_5XX_Count',
      service: 'orders-api',
      points: stepPoints(3, 900, -8, 1),
    },
  ],
  deployments: [
    {
      service: 'orders-api',
      version: 'v42',
      previousVersion: 'v41',
      startedAt: at(-14),
      completedAt: at(-12),
      status: 'succeeded',
      description: opts.description,
    },
  ],
  logs: [
    { service: 'orders-api', timestamp: at(-8), level: 'ERROR', count: 9_000, message: opts.error },
    ...(opts.peerShares
      ? [
          {
            service: 'billing-worker',
            timestamp: at(-7),
            level: 'ERROR' as const,
            count: 3_000,
            message: 'insert into invoices failed: Out of range value for column order_id at row 1',
          },
        ]
      : []),
  ],
});

const rangeError = 'RangeError: 2147483648 is out of range for Integer with limit 4 bytes in create_order';

describe('a release whose errors are not its own', () => {
  it('does not win when its errors are a limit its words say nothing about', async () => {
    const run = await runScenario(
      scenario(
        'orders-api',
        limitEnv({ description: 'Rename the Pending tab; bump linter', error: rangeError, peerShares: true }),
      ),
    );
    expect(run.rootCause.category).toBe('database');
    expect(run.rootCause.culprit).toBe('orders-db');
    expect(run.rootCause.mitigation?.kind).not.toBe('rollback');
    expect(run.rootCause.ruledOut.join(' ')).toContain('a limit was reached');
  });

  it('still wins when its own words are about that limit', async () => {
    const run = await runScenario(
      scenario(
        'orders-api',
        limitEnv({
          description: 'Store order ids as 4-byte Integer columns to save space',
          error: rangeError,
          peerShares: false,
        }),
      ),
    );
    expect(run.rootCause.category).toBe('deployment');
    expect(run.rootCause.mitigation).toMatchObject({ kind: 'rollback', target: 'orders-api' });
  });

  it('still wins when its own service throws right after it with errors nobody else has', async () => {
    const run = await runScenario(
      scenario(
        'orders-api',
        limitEnv({
          description: 'Rename the Pending tab; bump linter',
          error: "TypeError: Cannot read properties of undefined (reading 'tab') at renderOrders",
          peerShares: false,
        }),
      ),
    );
    expect(run.rootCause.category).toBe('deployment');
    expect(run.rootCause.culprit).toBe('v42');
    expect(run.rootCause.mitigation).toMatchObject({ kind: 'rollback', target: 'orders-api' });
  });

  it('does not win when an untouched peer throws the same exception', async () => {
    const env = limitEnv({
      description: 'Rename the Pending tab; bump linter',
      error: 'OrderStateError: unknown state transition pending->archived',
      peerShares: false,
    });
    env.logs!.push({
      service: 'billing-worker',
      timestamp: at(-7),
      level: 'ERROR',
      count: 2_000,
      message: 'invoice job aborted: OrderStateError: unknown state transition pending->archived',
    });
    const run = await runScenario(scenario('orders-api', env));
    expect(run.rootCause.category).toBe('database');
    expect(run.rootCause.culprit).toBe('orders-db');
    expect(run.rootCause.ruledOut.join(' ')).toContain('appear on billing-worker, which it did not touch');
  });
});

/** posts-db saturates 2 min after a change on it; the change is routine or deliberate. */
const routineEnv = (change: { eventName: string; summary: string; actor?: string }): Partial<Env> => ({
  services: [api('feed-api', ['posts-db']), { name: 'posts-db', tier: 'critical' as const }],
  metrics: [
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_Target_5XX_Count',
      service: 'feed-api',
      points: stepPoints(4, 2_600, -8, 1),
    },
    {
      namespace: 'AWS/RDS',
      metricName: 'CPUUtilization',
      service: 'posts-db',
      points: stepPoints(35, 99, -9, 1),
    },
  ],
  changes: [{ timestamp: at(-11), service: 'posts-db', resource: 'posts-db', ...change }],
  logs: [
    {
      service: 'feed-api',
      timestamp: at(-8),
      level: 'ERROR',
      count: 40_000,
      message: 'feed render failed: query timed out after 2000ms (posts-db)',
    },
  ],
});

describe('a routine operation just before the onset', () => {
  it('does not take the blame from the saturation it preceded', async () => {
    const run = await runScenario(
      scenario(
        'feed-api',
        routineEnv({
          eventName: 'ScheduledCompaction',
          summary: 'Scheduled compaction started on posts shards (weekly window)',
          actor: 'compaction-daemon',
        }),
      ),
    );
    expect(run.rootCause.culprit).toBe('posts-db');
    expect(['capacity', 'database']).toContain(run.rootCause.category);
    expect(run.rootCause.mitigation?.kind).not.toBe('rollback');
  });

  it('a deliberate change to the same database at the same time is the cause', async () => {
    const run = await runScenario(
      scenario(
        'feed-api',
        routineEnv({
          eventName: 'ModifyDBParameterGroup',
          summary: 'work_mem 64MB -> 1MB; random_page_cost 1.1 -> 40',
          actor: 'arn:aws:sts::123456789012:assumed-role/dba/j.doe',
        }),
      ),
    );
    expect(run.rootCause.category).toBe('database');
    expect(run.rootCause.mitigation).toMatchObject({ kind: 'rollback' });
  });
});
