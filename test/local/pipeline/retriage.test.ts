/**
 * Re-triage as alerts join a running incident, through the whole local flow (the ASL on
 * aws-local-stepfunctions, the phases, dynalite, the offline analyst, the real Ingestor): a joiner
 * during the investigation is re-triaged before mitigation is planned or approval asked; one during
 * the monitor loop at its next check. Either way one joined word moves severity one step, the raise
 * is re-declared to the new audience, and the reason names the alert that joined.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withLocalStore } from '../../../adapters/embedded/dynamodb.js';
import { normalize } from '../../../domain/alerts/normalize.js';
import { OfflineAnalyst } from '../../../domain/analyst/offline/index.js';
import { ManualClock } from '../../../domain/clock.js';
import { RecordingEngine } from '../../../domain/ingest/engine.js';
import { Ingestor } from '../../../domain/ingest/ingest.js';
import { parseIngestOptions } from '../../../domain/ingest/options.js';
import type { IngestResult } from '../../../domain/ingest/outcome.js';
import type { IncidentStore, ServiceInfo } from '../../../domain/ports.js';
import { prepare, runIncident } from '../../../local/runner.js';

const read = (path: string) => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'));

/** notification-sender's DLQ incident (measured SEV3), not recovering, so the monitor loop keeps checking. */
function incident() {
  const doc = read('../../../examples/scenarios/notification-sender-template-errors.json');
  doc.environment.recovery = { resolvedBy: [] };
  return doc;
}

/** An Alertmanager webhook: a `critical` alert on the same service, another source and fingerprint. */
function alertmanagerCritical(alertname: string) {
  const am = read('../../../examples/alerts/alertmanager-firing.json');
  const labels = { alertname, service: 'notification-sender', severity: 'critical' };
  am.alerts[0] = {
    ...am.alerts[0],
    labels,
    fingerprint: 'a1b2c3d4e5f60718',
    startsAt: '2026-05-14T08:44:00Z',
  };
  am.groupLabels = labels;
  am.commonLabels = labels;
  return am;
}

/** Delivers the payload through ingestion into the run's store, as a webhook would be. */
function deliver(store: IncidentStore, catalog: ServiceInfo[], payload: unknown): Promise<IngestResult> {
  const receivedAt = '2026-05-14T08:44:05Z';
  return new Ingestor({
    store,
    clock: new ManualClock(receivedAt),
    engine: new RecordingEngine(),
    options: parseIngestOptions({}),
    catalog,
  }).ingest({
    source: 'alertmanager',
    alerts: normalize(payload, { source: 'alertmanager', receivedAt }),
    notes: [],
  });
}

/** Runs the incident; the alert is delivered once, during the investigation or when the mitigation runs. */
async function runJoining(when: 'investigation' | 'mitigation', payload: unknown) {
  const doc = incident();
  const catalog = doc.environment.services as ServiceInfo[];
  const dataDir = mkdtempSync(join(tmpdir(), 'firebreak-retriage-'));
  let ingested: IngestResult | undefined;
  const summary = await withLocalStore(
    dataDir,
    (store) =>
      runIncident(prepare(doc), {
        dataDir,
        approve: 'auto',
        store,
        analyst: (evidence) => {
          const offline = new OfflineAnalyst(evidence);
          return {
            name: offline.name,
            triage: (ctx) => offline.triage(ctx),
            investigate: (sp, ctx) => offline.investigate(sp, ctx),
            synthesize: async (findings, ctx) => {
              if (when === 'investigation') ingested ??= await deliver(store, catalog, payload);
              return offline.synthesize(findings, ctx);
            },
          };
        },
        actions: (simulated) => ({
          execute: async (action, opts) => {
            const outcome = await simulated.execute(action, opts);
            if (when === 'mitigation' && !opts.dryRun) ingested ??= await deliver(store, catalog, payload);
            return outcome;
          },
        }),
      }),
    // A new folder: this test's store is the one the run will use.
    { create: true },
  );
  const timeline = await withLocalStore(dataDir, (s) => s.timeline(summary.incidentId));
  return { summary, timeline, ingested };
}

describe('an alert joining a running incident', () => {
  it('during the investigation: re-triaged before approval is asked, which then goes out at the new level', async () => {
    const { summary, timeline, ingested } = await runJoining(
      'investigation',
      alertmanagerCritical('NotificationSenderErrorBudgetBurn'),
    );
    expect(ingested).toMatchObject({ decision: 'join', incidentId: summary.incidentId });
    const states = summary.states;
    expect(states).toContain('RedeclareWhileInvestigating');
    expect(states.indexOf('RedeclareWhileInvestigating')).toBeLessThan(states.indexOf('RequestApproval'));
    // Counted once: the monitor loop does not re-triage the same joiner again.
    expect(states).not.toContain('Retriage');
    expect(summary.severity).toBe('SEV2');
    const declared = summary.notifications.filter((n) => n.kind === 'declared');
    expect(declared.map((n) => n.audience).sort()).toEqual(['oncall', 'oncall', 'stakeholders']);
    expect(declared.at(-1)?.subject).toMatch(/^\[SEV2\]/);
    expect(summary.notifications.find((n) => n.kind === 'approval-request')?.subject).toMatch(/^\[SEV2\]/);
    const raise = timeline.find((e) => e.type === 'severity-raised');
    expect(raise?.text).toMatch(
      /^raised SEV3 → SEV2: 1 alert\(s\) joined during the investigation \(NotificationSenderErrorBudgetBurn SEV1\)/,
    );
    // One step for one joined alert: the Alertmanager alert (which the store lists first, by source)
    // is not taken for the incident's own alert, so its word is not weighed twice.
    expect(raise?.data).toMatchObject({ from: 'SEV3', to: 'SEV2' });
    for (const e of timeline.filter((x) => x.type === 'triaged' || x.type === 'severity-raised'))
      expect(e.text).not.toMatch(/alert says SEV1/);
  });

  it('after the mitigation: re-triaged at the next recovery check and re-declared', async () => {
    const { summary, timeline, ingested } = await runJoining(
      'mitigation',
      alertmanagerCritical('NotificationSenderErrorBudgetBurn'),
    );
    expect(ingested).toMatchObject({ decision: 'join', incidentId: summary.incidentId });
    const states = summary.states;
    // Nothing had joined when the investigation ended: the decision stood, untouched.
    expect(states).toContain('JoinedWhileInvestigating');
    expect(states).not.toContain('RedeclareWhileInvestigating');
    expect(states.indexOf('Retriage')).toBeGreaterThan(states.indexOf('Mitigate'));
    expect(states).toContain('Redeclare');
    expect(summary.severity).toBe('SEV2');
    expect(summary.notifications.filter((n) => n.kind === 'declared').at(-1)?.subject).toMatch(/^\[SEV2\]/);
    const raise = timeline.find((e) => e.type === 'severity-raised');
    expect(raise?.text).toMatch(
      /^raised SEV3 → SEV2: 1 alert\(s\) joined \(NotificationSenderErrorBudgetBurn SEV1\)/,
    );
    expect(timeline.filter((e) => e.type === 'severity-raised')).toHaveLength(1);
  });
});
