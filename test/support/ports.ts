/** Ports for phase tests: an in-memory dynalite store, a notifier that keeps what it sent, no telemetry. */

import { DynamoIncidentStore } from '../../adapters/aws/store/dynamo-store.js';
import { type EmbeddedDynamoDB, startEmbeddedDynamoDB } from '../../adapters/embedded/dynamodb.js';
import { MemoryNotifier } from '../../adapters/embedded/notifiers.js';
import { proposeOnlyActions } from '../../domain/actions/propose-only.js';
import { OfflineAnalyst } from '../../domain/analyst/offline/index.js';
import { ManualClock } from '../../domain/clock.js';
import { defaultConfig } from '../../domain/config.js';
import { noEvidence } from '../../domain/evidence/unavailable.js';
import type { Ports } from '../../domain/ports.js';

export interface TestPorts {
  ports: Ports;
  notifier: MemoryNotifier;
  db: EmbeddedDynamoDB;
}

export async function testPorts(clockAt: string, overrides: Partial<Ports> = {}): Promise<TestPorts> {
  const db = await startEmbeddedDynamoDB();
  const notifier = new MemoryNotifier();
  const ports: Ports = {
    store: new DynamoIncidentStore(db.doc, db.tableName),
    notifier,
    evidence: noEvidence,
    analyst: new OfflineAnalyst(noEvidence),
    actions: proposeOnlyActions,
    artifacts: { writePostmortem: async () => undefined },
    clock: new ManualClock(clockAt),
    config: defaultConfig(),
    ...overrides,
  };
  return { ports, notifier, db };
}
