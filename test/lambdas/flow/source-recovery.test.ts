/**
 * After hand-off no execution watches the incident; when its source reports recovery, the incident
 * ends as a confirmed recovery does: all-clear to everyone paged, postmortem rewritten as RESOLVED,
 * and the recovery stamped on the incident's own clock (the source's time), not this process's.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withLocalStore } from '../../../adapters/embedded/dynamodb.js';
import { systemClock } from '../../../domain/clock.js';
import { Ingestor } from '../../../domain/ingest/ingest.js';
import { parseIngestOptions } from '../../../domain/ingest/options.js';
import type { NormalizedAlert } from '../../../domain/model.js';
import { localOutputs } from '../../../local/outputs.js';
import { audiencesOf, exampleScenario, readBack, run } from '../../support/response-harness.js';

describe('a recovery reported by the source after hand-off', () => {
  it('sends the all-clear to everyone paged, rewrites the postmortem and stamps the source time', async () => {
    // The upstream never recovers within the watch window: the automation hands off.
    const ran = await run(exampleScenario('paygate-upstream-outage'));
    expect(ran.summary.states).toContain('Handoff');
    expect(ran.incident.postmortem).toMatch(/; status (ACTIVE|MITIGATED)\./);
    const paged = audiencesOf(ran.messages);
    const lastAt = ran.timeline.at(-1)?.at as string;
    // The source recovered 10 minutes after the last recorded event, on the incident's clock.
    const recoveredAt = new Date(new Date(lastAt).getTime() + 10 * 60_000).toISOString();
    const alert: NormalizedAlert = {
      source: ran.incident.source,
      sourceEventId: 'recovery-1',
      fingerprint: ran.incident.fingerprint,
      status: 'resolved',
      title: ran.incident.title,
      description: '',
      resources: [],
      startedAt: recoveredAt,
      links: [],
      labels: {},
      raw: {},
    };
    const result = await withLocalStore(ran.dataDir, async (store) => {
      // The alert opened the incident through ingestion, which holds its fingerprint while it is open
      // (a scenario run creates the incident directly, so the claim is made here).
      await store.claimFingerprint(alert.fingerprint, ran.incident.id, new Date(Date.now() + 86_400_000));
      return new Ingestor({
        store,
        clock: systemClock,
        engine: { start: async () => ({ executionArn: '', started: false }), running: async () => false },
        options: parseIngestOptions({}),
        ...localOutputs(ran.dataDir),
      }).ingest({ source: alert.source, alerts: [alert], notes: [] });
    });
    expect(result.decision, result.reason).toBe('resolve');

    const after = await readBack(ran.dataDir, ran.incident.id);
    expect(after.incident.status).toBe('RESOLVED');
    expect(after.incident.resolvedAt).toBe(recoveredAt);
    const resolved = after.timeline.find((e) => e.type === 'resolved');
    expect(resolved?.at).toBe(recoveredAt);
    // Every event stays in time order: nothing stamped by the wall clock between simulated times.
    const times = after.timeline.map((e) => e.at);
    expect(times).toEqual([...times].sort());

    const allClear = after.messages.filter((m) => m.kind === 'all-clear');
    expect(allClear.map((m) => m.audience).sort()).toEqual(paged);
    for (const m of allClear) expect(m.body).toMatch(/^Status: +RESOLVED/m);
    expect(after.incident.postmortem).toMatch(/; resolved \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\./);
    expect(readFileSync(join(ran.dataDir, 'postmortems', `${ran.incident.id}.md`), 'utf8')).toBe(
      after.incident.postmortem,
    );
  });
});
