/** Ports for phase tests: an in-memory dynalite store, a notifier that keeps what it sent, no telemetry. */

import type { EmbeddedDynamoDB } from '../../adapters/embedded/dynamodb.js';
import { MemoryNotifier } from '../../adapters/embedded/notifiers.js';
import { proposeOnlyActions } from '../../domain/actions/propose-only.js';
import { OfflineAnalyst } from '../../domain/analyst/offline/index.js';
import { ManualClock } from '../../domain/clock.js';
import { defaultConfig } from '../../domain/config.js';
import { noEvidence } from '../../domain/evidence/unavailable.js';
import type { Ports } from '../../domain/ports.js';
import { startTestStore } from './store.js';

export interface TestPorts {
  ports: Ports;
  notifier: MemoryNotifier;
  db: EmbeddedDynamoDB;
}

export async function testPorts(clockAt: string, overrides: Partial<Ports> = {}): Promise<TestPorts> {
  const { db, store } = await startTestStore();
  const notifier = new MemoryNotifier();
  const ports: Ports = {
    store,
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
