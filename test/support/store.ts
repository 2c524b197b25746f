/** A dynalite-backed incident store for a test file: dynalite started, the incident table created. */
import { DynamoIncidentStore } from '../../adapters/aws/store/dynamo-store.js';
import { type EmbeddedDynamoDB, startEmbeddedDynamoDB } from '../../adapters/embedded/dynamodb.js';

export interface TestStore {
  /** The embedded endpoint: its clients, table name and `close()`. */
  db: EmbeddedDynamoDB;
  store: DynamoIncidentStore;
}

/**
 * Starts an in-memory dynalite with the incident table (as in AWS) and the store over it. Call it
 * in `beforeAll` and `db.close()` in `afterAll`:
 *
 * @example
 * beforeAll(async () => ({ db, store } = await startTestStore()));
 * afterAll(() => db.close());
 */
export async function startTestStore(opts: { tableName?: string } = {}): Promise<TestStore> {
  const db = await startEmbeddedDynamoDB(opts);
  return { db, store: new DynamoIncidentStore(db.doc, db.tableName) };
}
