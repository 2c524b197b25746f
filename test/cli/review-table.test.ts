/**
 * `firebreak review --table`: the AWS path, run as a user runs it, against dynalite standing in for
 * the DynamoDB endpoint (the SDK's AWS_ENDPOINT_URL_DYNAMODB), so the real client and requests are used.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoIncidentStore } from '../../adapters/aws/store/dynamo-store.js';
import type { EmbeddedDynamoDB } from '../../adapters/embedded/dynamodb.js';
import { anIncident } from '../support/incidents.js';
import { startTestStore } from '../support/store.js';

const BIN = fileURLToPath(new URL('../../bin/firebreak.js', import.meta.url));
let db: EmbeddedDynamoDB;
let store: DynamoIncidentStore;

beforeAll(async () => {
  ({ db, store } = await startTestStore({ tableName: 'firebreak-prod' }));
});
afterAll(async () => db.close());

// Async, so the embedded endpoint in this process keeps answering while the CLI runs.
const firebreak = (...args: string[]) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: {
        ...process.env,
        AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_REGION: 'eu-west-1',
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });

describe('firebreak review --table', () => {
  it('records the verdict in the table, and refuses an open incident there without writing', async () => {
    const base = {
      title: 'orders-5xx',
      service: 'orders',
      services: ['orders'],
      fingerprint: 'cw:orders-5xx',
      source: 'cloudwatch-eventbridge' as const,
      detectedAt: '2026-11-20T10:00:00.000Z',
      updatedAt: '2026-11-20T10:30:00.000Z',
      rootCause: {
        category: 'capacity' as const,
        culprit: 'orders',
        summary: 'connection pool exhausted',
        causalChain: [],
        confidence: 0.6,
        evidence: [],
        ruledOut: [],
        mitigation: null,
        degraded: false,
      },
    };
    await store.create(
      anIncident({ ...base, id: 'inc-aws-1', status: 'RESOLVED', resolvedAt: '2026-11-20T10:30:00.000Z' }),
    );
    await store.create(anIncident({ ...base, id: 'inc-aws-2', status: 'ACTIVE' }));

    const done = await firebreak(
      'review',
      'inc-aws-1',
      '--verdict',
      'partly',
      '--category',
      'database',
      '--culprit',
      'orders-db',
      '--by',
      'carol',
      '--table',
      'firebreak-prod',
    );
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toMatch(/inc-aws-1: partly \(35\/100\) by carol; confirmed database orders-db/);
    expect((await store.get('inc-aws-1'))?.review).toMatchObject({
      verdict: 'partly',
      by: 'carol',
      score: 35,
    });
    expect((await store.timeline('inc-aws-1')).map((e) => e.type)).toEqual(['review']);

    const open = await firebreak('review', 'inc-aws-2', '--verdict', 'correct', '--table', 'firebreak-prod');
    expect(open.code).toBe(2);
    expect(open.stderr.trim()).toBe('firebreak: inc-aws-2 is still ACTIVE: review it once it is resolved');
    expect((await store.get('inc-aws-2'))?.review).toBeUndefined();
    expect(await store.timeline('inc-aws-2')).toEqual([]);
  }, 60_000);
});
