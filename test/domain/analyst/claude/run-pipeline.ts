/** One incident through the local pipeline with the Claude analyst behind a scripted fake API. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withLocalStore } from '../../../../adapters/embedded/dynamodb.js';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { anthropicClient } from '../../../../domain/analyst/claude/client.js';
import { ClaudeAnalyst } from '../../../../domain/analyst/claude/index.js';
import type { ClaudeOptionsInput } from '../../../../domain/analyst/claude/options.js';
import { OfflineAnalyst } from '../../../../domain/analyst/offline/index.js';
import { prepare, runIncident } from '../../../../local/runner.js';
import { type Script, startFakeMessagesApi } from './fake-messages-api.js';

export async function runWithModel(scenario: Scenario, script: Script, options?: ClaudeOptionsInput) {
  const server = await startFakeMessagesApi(script);
  const dataDir = await mkdtemp(join(tmpdir(), 'firebreak-claude-'));
  try {
    const client = anthropicClient({ apiKey: 'test', baseURL: server.url, maxRetries: 1 });
    const summary = await runIncident(prepare(scenario), {
      dataDir,
      approve: 'auto',
      analyst: (evidence) =>
        new ClaudeAnalyst({ client, evidence, fallback: new OfflineAnalyst(evidence), options }),
    });
    const record = await withLocalStore(dataDir, async (store) => ({
      incident: await store.get(summary.incidentId),
      timeline: await store.timeline(summary.incidentId),
    }));
    return { summary, ...record, requests: server.requests, replies: [...server.replies.values()] };
  } finally {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** The same incident with the offline analyst alone (no model). */
export async function runOffline(scenario: Scenario) {
  const dataDir = await mkdtemp(join(tmpdir(), 'firebreak-offline-'));
  try {
    return await runIncident(prepare(scenario), { dataDir, approve: 'auto' });
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
