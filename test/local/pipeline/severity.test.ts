/**
 * Severity through the whole local flow (the ASL on aws-local-stepfunctions, the phases, dynalite,
 * the offline analyst): the mapping table, impact over the dependency graph, recovery. Re-triage as
 * alerts join a running incident is in retriage.test.ts.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withLocalStore } from '../../../adapters/embedded/dynamodb.js';
import { normalize } from '../../../domain/alerts/normalize.js';
import { readSeverity, severityFromWord } from '../../../domain/alerts/severity.js';
import type { Analyst, Evidence } from '../../../domain/ports.js';
import { prepare, runIncident } from '../../../local/runner.js';

const read = (path: string) => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'));
const scenario = (name: string) => read(`../../../examples/scenarios/${name}.json`);
const fixture = (name: string) => read(`../../support/fixtures/${name}.json`);

async function run(doc: unknown, opts: { analyst?: (e: Evidence) => Analyst } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'firebreak-sev-'));
  const summary = await runIncident(prepare(doc), { dataDir, approve: 'auto', ...opts });
  const timeline = await withLocalStore(dataDir, (store) => store.timeline(summary.incidentId));
  return { summary, timeline };
}

const alertmanager = (severity: string) => {
  const doc = read('../../../examples/alerts/alertmanager-firing.json');
  doc.alerts[0].labels.severity = severity;
  doc.commonLabels.severity = severity;
  return doc;
};

describe('severity words', () => {
  it('maps every source word, whatever its case and spacing', () => {
    const cases: Array<[string, string]> = [
      ['critical', 'SEV1'],
      ['CRITICAL', 'SEV1'],
      ['page', 'SEV2'],
      [' Page ', 'SEV2'],
      ['high', 'SEV2'],
      ['warning', 'SEV3'],
      ['info', 'SEV4'],
      ['P1', 'SEV1'],
      ['p 2', 'SEV2'],
      ['P3', 'SEV3'],
      ['P4', 'SEV4'],
      ['P5', 'SEV4'],
      ['sev1', 'SEV1'],
      ['SEV-2', 'SEV2'],
      ['Sev 3', 'SEV3'],
      ['sev_4', 'SEV4'],
    ];
    for (const [word, level] of cases) expect(severityFromWord(word), word).toBe(level);
    expect(severityFromWord('urgent-ish')).toBeUndefined();
    expect(readSeverity('bogus', 'high')).toEqual({ hint: 'SEV2' });
    expect(readSeverity('bogus')).toEqual({ unknownWord: 'bogus' });
  });

  it('keeps an Alertmanager word it does not know instead of dropping it', () => {
    const [alert] = normalize(alertmanager('blocker'), {
      source: 'alertmanager',
      receivedAt: '2026-09-12T19:05:00Z',
    });
    expect(alert.severityHint).toBeUndefined();
    expect(alert.severityWord).toBe('blocker');
  });
});

describe('severity through the flow', () => {
  it('Alertmanager severity="page" pages as SEV2, "critical" as SEV1', async () => {
    const page = await run(alertmanager('page'));
    expect(page.summary.severity).toBe('SEV2');
    expect(page.summary.states).toContain('Declare');
    const critical = await run(alertmanager('critical'));
    expect(critical.summary.severity).toBe('SEV1');
  });

  it('an unknown word is on the timeline and severity falls back to the catalog tier', async () => {
    const { summary, timeline } = await run(alertmanager('blocker'));
    const unknown = timeline.find((e) => e.type === 'severity-word-unknown');
    expect(unknown?.text).toContain('"blocker"');
    // No telemetry, no catalog entry: the default tier (standard) is SEV3.
    expect(summary.severity).toBe('SEV3');
  });

  it('a full database behind a user-facing API pages SEV1-2 even when the API raised no alarm', async () => {
    const doc = scenario('billing-db-storage-full');
    doc.environment.alarmStates = [];
    const { summary, timeline } = await run(doc);
    expect(['SEV1', 'SEV2']).toContain(summary.severity);
    expect(summary.states).toContain('Declare');
    const triaged = timeline.find((e) => e.type === 'triaged');
    expect(triaged?.text).not.toMatch(/not user-facing/);
  });

  it('a database failover that completed on its own before anyone looked is a SEV4 ticket: nobody paged', async () => {
    // orders-api (critical, user-facing) logged 1,220 connection errors during the failover; its
    // alarm went back to OK at 10:06 and the alert reached the pipeline at 10:12.
    const { summary, timeline } = await run(fixture('sev4-self-recovered-failover'));
    expect(summary.severity).toBe('SEV4');
    expect(summary.states).toContain('RecordTicket');
    expect(summary.states).not.toContain('Declare');
    expect(summary.notifications).toEqual([]);
    expect(summary.status).toBe('RESOLVED');
    const triaged = timeline.find((e) => e.type === 'triaged');
    expect(triaged?.text).toMatch(
      /^SEV4: already recovered when investigated \(orders-api-5xx returned to OK/,
    );
  });

  it('the same failover still logging errors after its alarm went back to OK is not recovered: it pages', async () => {
    const doc = fixture('sev4-self-recovered-failover');
    // The second burst of connection errors now lands after the alarm's OK (10:06:10).
    const late = doc.environment.logs.find(
      (l: { timestamp: string }) => l.timestamp === '2026-06-18T10:04:10Z',
    );
    late.timestamp = '2026-06-18T10:09:00Z';
    const { summary, timeline } = await run(doc);
    expect(['SEV1', 'SEV2', 'SEV3']).toContain(summary.severity);
    expect(summary.states).toContain('Declare');
    expect(timeline.find((e) => e.type === 'triaged')?.text).not.toMatch(/already recovered/);
  });

  it('a recovered failover that refused writes put data at risk: SEV1-2 whatever the recovery', async () => {
    const doc = fixture('sev4-self-recovered-failover');
    doc.environment.logs.push({
      service: 'orders-api',
      timestamp: '2026-06-18T10:02:30Z',
      level: 'ERROR',
      message: 'org.postgresql.util.PSQLException: ERROR: cannot execute INSERT in a read-only transaction',
      count: 240,
    });
    const { summary, timeline } = await run(doc);
    expect(['SEV1', 'SEV2']).toContain(summary.severity);
    expect(summary.states).toContain('Declare');
    const triaged = timeline.find((e) => e.type === 'triaged');
    expect(triaged?.text).not.toMatch(/already recovered/);
    expect(JSON.stringify(triaged?.data)).toMatch(/orders-api: writes refused/);
  });
});
