/**
 * StoreTable's conditional writes against dynalite: a condition that does not hold is an answer
 * (false, or no output) and writes nothing; every other failure is thrown as it came.
 */
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreTable } from '../../../../adapters/aws/store/table.js';
import type { EmbeddedDynamoDB } from '../../../../adapters/embedded/dynamodb.js';
import { startTestStore } from '../../../support/store.js';

let db: EmbeddedDynamoDB;
let table: StoreTable;
beforeAll(async () => {
  ({ db } = await startTestStore());
  table = new StoreTable(db.doc, db.tableName);
});
afterAll(async () => db.close());

let n = 0;
const key = () => ({ pk: `TEST#${++n}`, sk: 'ITEM' });
const absent = 'attribute_not_exists(pk)';

describe('StoreTable conditional writes', () => {
  it('putIf: true when written, false when the condition fails, and the item stays as it was', async () => {
    const k = key();
    expect(await table.putIf({ Item: { ...k, v: 1 }, ConditionExpression: absent })).toBe(true);
    expect(await table.putIf({ Item: { ...k, v: 2 }, ConditionExpression: absent })).toBe(false);
    expect(await table.get(k, { consistent: true })).toEqual({ ...k, v: 1 });
  });

  it('updateIf: the output when the condition holds, undefined when not, and nothing changed', async () => {
    const k = key();
    await table.put({ Item: { ...k, v: 1 } });
    const update = (from: number) =>
      table.updateIf({
        Key: k,
        UpdateExpression: 'SET v = :next',
        ConditionExpression: 'v = :from',
        ExpressionAttributeValues: { ':next': from + 1, ':from': from },
        ReturnValues: 'ALL_NEW',
      });
    expect((await update(1))?.Attributes).toEqual({ ...k, v: 2 });
    expect(await update(1)).toBeUndefined();
    expect(await table.get(k, { consistent: true })).toEqual({ ...k, v: 2 });
  });

  it('deleteIf: true when deleted, false when the condition fails, and the item kept', async () => {
    const k = key();
    await table.put({ Item: { ...k, holder: 'a' } });
    const release = (holder: string) =>
      table.deleteIf({
        Key: k,
        ConditionExpression: 'holder = :o',
        ExpressionAttributeValues: { ':o': holder },
      });
    expect(await release('b')).toBe(false);
    expect(await table.get(k, { consistent: true })).toEqual({ ...k, holder: 'a' });
    expect(await release('a')).toBe(true);
    expect(await table.get(k, { consistent: true })).toBeUndefined();
  });

  it('throws every failure that is not a failed condition', async () => {
    const k = key();
    const invalid = { ConditionExpression: 'v = :undefinedPlaceholder' };
    await expect(table.putIf({ Item: { ...k, v: 1 }, ...invalid })).rejects.toMatchObject({
      name: 'ValidationException',
    });
    await expect(
      table.updateIf({ Key: k, UpdateExpression: 'SET v = :v', ...invalid }),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(table.deleteIf({ Key: k, ...invalid })).rejects.toMatchObject({
      name: 'ValidationException',
    });
    const elsewhere = new StoreTable(db.doc, 'no-such-table');
    await expect(elsewhere.putIf({ Item: k, ConditionExpression: absent })).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });
});

describe('StoreTable batch writes', () => {
  it("sends what DynamoDB left unprocessed again after the caller's wait, and stops when it gives up", async () => {
    const doc = mockClient(DynamoDBDocumentClient);
    try {
      const put = { PutRequest: { Item: key() } };
      const other = { PutRequest: { Item: key() } };
      doc
        .on(BatchWriteCommand)
        .resolvesOnce({ UnprocessedItems: { t: [other] } })
        .resolves({});
      const waits: Array<[number, number]> = [];
      const table = new StoreTable(DynamoDBDocumentClient.from(db.client), 't');
      await table.batchWrite([put, other], async (attempt, pending) => void waits.push([attempt, pending]));
      expect(waits).toEqual([[1, 1]]);
      expect(doc.commandCalls(BatchWriteCommand).map((c) => c.args[0].input.RequestItems)).toEqual([
        { t: [put, other] },
        { t: [other] },
      ]);

      doc.on(BatchWriteCommand).resolves({ UnprocessedItems: { t: [other] } });
      await expect(
        table.batchWrite([other], async (attempt) => {
          if (attempt > 2) throw new Error('gave up');
        }),
      ).rejects.toThrow('gave up');
    } finally {
      doc.restore();
    }
  });
});
