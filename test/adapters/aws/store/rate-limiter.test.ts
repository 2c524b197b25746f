import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoRateLimiter } from '../../../../adapters/aws/store/rate-limiter.js';
import { type EmbeddedDynamoDB, startEmbeddedDynamoDB } from '../../../../adapters/embedded/dynamodb.js';
import { ManualClock } from '../../../../domain/clock.js';
import { TransientError } from '../../../../domain/errors.js';

let db: EmbeddedDynamoDB;
beforeAll(async () => {
  db = await startEmbeddedDynamoDB();
});
afterAll(async () => db.close());

describe('DynamoRateLimiter: one pace for every Lambda (CloudTrail LookupEvents, 2 requests/s)', () => {
  it('gives concurrent callers in different processes turns at least 500 ms apart', async () => {
    const clock = new ManualClock('2026-11-20T10:00:00.250Z');
    const waits: number[] = [];
    // Five "Lambdas", each with its own limiter over the same table, two calls each, all at once.
    const lambdas = Array.from(
      { length: 5 },
      () =>
        new DynamoRateLimiter(
          db.doc,
          db.tableName,
          { api: 'cloudtrail-test-a', perSecond: 2, maxWaitMs: 30_000 },
          clock,
          async (ms) => void waits.push(ms),
        ),
    );
    await Promise.all(lambdas.flatMap((l) => [l.acquire(), l.acquire()]));
    expect(waits.sort((a, b) => a - b)).toEqual([250, 750, 1250, 1750, 2250, 2750, 3250, 3750, 4250, 4750]);
    const slots = await db.doc.send(
      new QueryCommand({
        TableName: db.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'RATE#cloudtrail-test-a' },
      }),
    );
    expect(slots.Items).toHaveLength(10);
    // DynamoDB TTL only deletes items whose TTL attribute is a number (epoch seconds).
    expect(slots.Items?.every((i) => typeof i.expiresAt === 'number')).toBe(true);
  });

  it('gives up with a TransientError (retried by the flow) when no turn is free in time', async () => {
    const clock = new ManualClock('2026-11-20T11:00:00.000Z');
    const limiter = new DynamoRateLimiter(
      db.doc,
      db.tableName,
      { api: 'cloudtrail-test-b', perSecond: 2, maxWaitMs: 1000 },
      clock,
      async () => undefined,
    );
    await limiter.acquire();
    await limiter.acquire();
    await limiter.acquire();
    await expect(limiter.acquire()).rejects.toBeInstanceOf(TransientError);
  });
});
