/** Ports for phase tests: an in-memory dynalite store, a notifier that keeps what it sent, no telemetry. */

import { proposeOnlyActions } from '../../lambdas/core/actions/propose-only.js';
import { OfflineAnalyst } from '../../lambdas/core/analyst/offline/index.js';
import { ManualClock } from '../../lambdas/core/clock.js';
import { defaultConfig } from '../../lambdas/core/config.js';
import { noEvidence } from '../../lambdas/core/evidence/unavailable.js';
import { MemoryNotifier } from '../../lambdas/core/notify/local-notifiers.js';
import type { Ports } from '../../lambdas/core/ports.js';
import { DynamoIncidentStore } from '../../lambdas/core/store/dynamo-store.js';
import { type EmbeddedDynamoDB, startEmbeddedDynamoDB } from '../../lib/local/embedded-dynamodb.js';

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
