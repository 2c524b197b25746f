/** Runs fixtures and scenarios through the local pipeline in temp data directories, and reads them back. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withLocalStore } from '../../adapters/embedded/dynamodb.js';
import type { Incident, TimelineEvent } from '../../domain/model.js';
import type { OutboundMessage } from '../../domain/ports.js';
import type { ApprovalMode } from '../../local/approval-gate.js';
import { prepare, type RunOptions, type RunSummary, runIncident } from '../../local/runner.js';
import { type Script, ScriptedAnalyst } from './scripted-analyst.js';

export const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8'));

export const exampleScenario = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../examples/scenarios/${name}.json`, import.meta.url), 'utf8'));

export const tempDir = (prefix = 'firebreak-response-') => mkdtempSync(join(tmpdir(), prefix));

export interface Ran {
  summary: RunSummary;
  dataDir: string;
  incident: Incident;
  timeline: TimelineEvent[];
  /** Every message as published (the outbox), in order. */
  messages: OutboundMessage[];
}

export async function run(
  doc: unknown,
  opts: {
    approve?: ApprovalMode;
    script?: Script;
    dataDir?: string;
    config?: Record<string, unknown>;
  } & Partial<RunOptions> = {},
): Promise<Ran> {
  const dataDir = opts.dataDir ?? tempDir();
  const { script, ...rest } = opts;
  const summary = await runIncident(prepare(doc), {
    ...rest,
    dataDir,
    approve: opts.approve ?? 'auto',
    analyst: script ? () => new ScriptedAnalyst(script) : opts.analyst,
  });
  return { summary, dataDir, ...(await readBack(dataDir, summary.incidentId)) };
}

export async function readBack(dataDir: string, incidentId: string) {
  const { incident, timeline } = await withLocalStore(dataDir, async (store) => ({
    incident: (await store.get(incidentId)) as Incident,
    timeline: await store.timeline(incidentId),
  }));
  let outbox = '';
  try {
    outbox = readFileSync(join(dataDir, 'outbox.jsonl'), 'utf8');
  } catch {
    // nobody was paged
  }
  const messages = outbox
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as OutboundMessage)
    .filter((m) => m.incidentId === incidentId);
  return { incident, timeline, messages };
}

/** Message kinds in the order they were first sent. */
export const kindsInOrder = (messages: OutboundMessage[]) => [...new Set(messages.map((m) => m.kind))];
export const audiencesOf = (messages: OutboundMessage[], kind?: string) =>
  [...new Set(messages.filter((m) => !kind || m.kind === kind).map((m) => m.audience))].sort();
