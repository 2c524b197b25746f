/**
 * A rerun of an alert whose incident is still open joins it through ingestion's dedup, instead of
 * opening a second incident next to it; once that incident is closed, a rerun opens a new one.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withLocalStore } from '../../../adapters/embedded/dynamodb.js';
import { prepare, runIncident } from '../../../local/runner.js';

const scenario = JSON.parse(
  readFileSync(
    new URL('../../../examples/scenarios/checkout-5xx-after-deploy.json', import.meta.url),
    'utf8',
  ),
);

describe('firebreak run of an alert whose incident is open', () => {
  it('joins the open incident instead of opening a second one next to it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'firebreak-rerun-'));
    // The first run stops in Mitigate: its incident stays open (ACTIVE) for someone to respond.
    const first = await runIncident(prepare(scenario), {
      dataDir,
      approve: 'auto',
      faults: { Mitigate: 'injected failure in Mitigate' },
    });
    expect(first.executionStatus).toBe('FAILED');
    expect(first.status).toBe('ACTIVE');

    const rerun = await runIncident(prepare(scenario), { dataDir, approve: 'auto' });
    expect(rerun).toMatchObject({ executionStatus: 'JOINED', incidentId: first.incidentId, states: [] });
    const incidents = await withLocalStore(dataDir, (store) => store.list());
    expect(incidents.map((i) => i.id)).toEqual([first.incidentId]);
  }, 120_000);

  it('opens a new incident when the earlier one is resolved', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'firebreak-rerun-closed-'));
    const first = await runIncident(prepare(scenario), { dataDir, approve: 'auto' });
    expect(first.status).toBe('RESOLVED');
    const second = await runIncident(prepare(scenario), { dataDir, approve: 'auto' });
    expect(second.executionStatus).toBe('SUCCEEDED');
    expect(second.incidentId).not.toBe(first.incidentId);
  }, 120_000);
});
