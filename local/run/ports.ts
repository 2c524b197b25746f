/**
 * The ports of one local run: the data folder's store (or the caller's), masked as data comes in;
 * the scenario's telemetry and simulated actions (or none); the outbox, the console and a memory of
 * what was sent; postmortems written into the data folder.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DynamoMemory } from '../../adapters/aws/memory.js';
import { DynamoIncidentStore } from '../../adapters/aws/store/dynamo-store.js';
import { type EmbeddedDynamoDB, openDataStore } from '../../adapters/embedded/dynamodb.js';
import {
  ConsoleNotifier,
  FanoutNotifier,
  MemoryNotifier,
  OutboxNotifier,
} from '../../adapters/embedded/notifiers.js';
import { ScenarioEnvironment } from '../../adapters/embedded/scenario/environment.js';
import type { Scenario } from '../../adapters/embedded/scenario/schema.js';
import { proposeOnlyActions } from '../../domain/actions/propose-only.js';
import { OfflineAnalyst } from '../../domain/analyst/offline/index.js';
import type { Clock } from '../../domain/clock.js';
import { parseConfig } from '../../domain/config.js';
import { noEvidence } from '../../domain/evidence/unavailable.js';
import type { IncidentMemory } from '../../domain/memory/port.js';
import { ACTION_KINDS } from '../../domain/model.js';
import type { Actions, Analyst, Evidence, IncidentStore, Notifier, Ports } from '../../domain/ports.js';
import { RevealingActions } from '../../domain/redaction/actions.js';
import { RedactingEvidence } from '../../domain/redaction/evidence.js';
import { Redaction } from '../../domain/redaction/redactor.js';
import { redactingStore } from '../../domain/redaction/store.js';

export interface PortOptions {
  dataDir: string;
  scenario?: Scenario;
  startAt: Date;
  clock: Clock;
  config?: Record<string, unknown>;
  analyst?: (evidence: Evidence) => Analyst;
  actions?: (simulated: Actions) => Actions;
  progress?: (line: string) => void;
  store?: IncidentStore;
  memory?: IncidentMemory;
}

export interface LocalPorts {
  ports: Ports;
  /** What was sent during the run (for the summary). */
  sent: MemoryNotifier;
  /** Salts redaction for the incident once it has an id. */
  scopeTo: (incidentId: string) => void;
  /** Closes the store if this run opened it. */
  close: () => Promise<void>;
}

export async function localPorts(opts: PortOptions): Promise<LocalPorts> {
  const { clock } = opts;
  // Locally every action is enabled: they are simulated.
  const config = parseConfig({ enabledActions: [...ACTION_KINDS], ...opts.config });
  const db: EmbeddedDynamoDB | undefined = opts.store ? undefined : await openDataStore(opts.dataDir);
  // Secrets and personal data are masked as evidence and alerts come in (domain/redaction/),
  // salted by this run's incident once it has an id.
  const redaction = new Redaction(config.redaction);
  let scope = '';
  const store = redactingStore(
    db ? new DynamoIncidentStore(db.doc, db.tableName) : (opts.store as IncidentStore),
    redaction,
  );
  const environment = opts.scenario
    ? new ScenarioEnvironment(opts.scenario, clock, opts.startAt.toISOString())
    : undefined;
  const evidence: Evidence = new RedactingEvidence(environment ?? noEvidence, () =>
    redaction.forIncident(scope),
  );
  const sent = new MemoryNotifier();
  const notifiers: Notifier[] = [sent, new OutboxNotifier(join(opts.dataDir, 'outbox.jsonl'))];
  if (opts.progress) notifiers.push(new ConsoleNotifier(opts.progress));
  const ports: Ports = {
    store,
    notifier: new FanoutNotifier(notifiers),
    evidence,
    analyst: opts.analyst?.(evidence) ?? new OfflineAnalyst(evidence),
    actions: new RevealingActions(
      opts.actions?.(environment ?? proposeOnlyActions) ?? environment ?? proposeOnlyActions,
      environment ?? noEvidence,
      redaction,
      clock,
    ),
    artifacts: {
      writePostmortem: async (id, markdown) => {
        const dir = join(opts.dataDir, 'postmortems');
        await mkdir(dir, { recursive: true });
        const file = join(dir, `${id}.md`);
        await writeFile(file, markdown);
        return file;
      },
    },
    clock,
    config,
    memory: db ? new DynamoMemory(db.doc, db.tableName) : opts.memory,
  };
  return {
    ports,
    sent,
    scopeTo: (incidentId) => {
      scope = incidentId;
    },
    close: async () => {
      await db?.close();
    },
  };
}
