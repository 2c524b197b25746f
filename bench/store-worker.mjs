// The embedded store (dynalite) on its own thread, as a database runs apart from its clients: the
// storm's ingest code and the store then each have a core instead of sharing one.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { startEmbeddedDynamoDB } = await import('../adapters/embedded/dynamodb.ts');
const db = await startEmbeddedDynamoDB();
parentPort.postMessage({ endpoint: db.endpoint, tableName: db.tableName });
parentPort.on('message', async (message) => {
  if (message === 'close') {
    await db.close();
    parentPort.postMessage('closed');
  }
});
