/**
 * The whole flow through the local engine: the ASL file, aws-local-stepfunctions, the phase
 * functions, dynalite and the offline analyst, on the project's own scenarios.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withLocalStore } from '../../../adapters/embedded/dynamodb.js';
import type { ApprovalMode } from '../../../local/approval-gate.js';
import { prepare, type RunSummary, runIncident } from '../../../local/runner.js';

const scenario = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../../examples/scenarios/${name}.json`, import.meta.url), 'utf8'));

async function run(doc: unknown, approve: ApprovalMode = 'auto', faults?: Record<string, string>) {
  const dataDir = mkdtempSync(join(tmpdir(), 'firebreak-route-'));
  const summary = await runIncident(prepare(doc), { dataDir, approve, faults });
  return { summary, dataDir };
}

const audiences = (s: RunSummary, kind?: string) =>
  [...new Set(s.notifications.filter((n) => !kind || n.kind === kind).map((n) => n.audience))].sort();
const kinds = (s: RunSummary) => [...new Set(s.notifications.map((n) => n.kind))];

describe('local pipeline routes', () => {
  it('SEV2 deploy regression: declared, investigated, rollback approved and applied, recovered, resolved, postmortem', async () => {
    const { summary, dataDir } = await run(scenario('checkout-5xx-after-deploy'));
    expect(summary.executionStatus).toBe('SUCCEEDED');
    expect(summary.severity).toBe('SEV2');
    expect(summary.status).toBe('RESOLVED');
    expect(summary.category).toBe('deployment');
    expect(summary.mitigation).toMatchObject({ kind: 'rollback', target: 'checkout', status: 'applied' });
    const order = [
      'Triage',
      'Declare',
      'Respond',
      'Synthesize',
      'Assess',
      'PlanMitigation',
      'RequestApproval',
      'Mitigate',
      'CheckRecovery',
      'Resolve',
      'Postmortem',
    ];
    for (const state of order) expect(summary.states, state).toContain(state);
    expect(summary.states.indexOf('RequestApproval')).toBeLessThan(summary.states.indexOf('Mitigate'));
    expect(summary.states.filter((s) => s === 'RunSpecialist').length).toBeGreaterThanOrEqual(3);
    expect(kinds(summary)).toEqual(
      expect.arrayContaining(['declared', 'approval-request', 'mitigation-applied', 'all-clear']),
    );
    expect(audiences(summary, 'declared')).toEqual(['oncall', 'stakeholders']);
    expect(audiences(summary, 'approval-request')).toEqual(['oncall']);
    expect(summary.postmortemPath).toMatch(/postmortems\/inc-.*\.md$/);
    expect(readFileSync(summary.postmortemPath as string, 'utf8')).toMatch(/^# Postmortem/);
    // Every state the engine entered is on the incident's timeline, in order.
    const timeline = await withLocalStore(dataDir, (store) => store.timeline(summary.incidentId));
    const entered = timeline
      .filter((e) => e.type === 'state' && e.text.startsWith('entered '))
      .map((e) => e.text.split(' ')[1]);
    expect(entered).toEqual(summary.states);
    expect(summary.minutes.toResolve).toBeGreaterThan(5);
  });

  it('denied approval runs nothing and escalates', async () => {
    const { summary } = await run(scenario('checkout-5xx-after-deploy'), 'deny');
    expect(summary.states).toContain('EscalateUnapproved');
    expect(summary.states).not.toContain('Mitigate');
    expect(summary.mitigation.status).toBe('rejected');
    expect(summary.status).not.toBe('RESOLVED');
    expect(summary.escalationTier).toBeGreaterThanOrEqual(1);
    expect(kinds(summary)).toContain('escalation');
    expect(kinds(summary)).not.toContain('mitigation-applied');
    expect(summary.states.at(-1)).toBe('Done');
  });

  it('an unanswered approval times out, runs nothing and escalates', async () => {
    const { summary } = await run(scenario('checkout-5xx-after-deploy'), 'timeout');
    expect(summary.states).toContain('EscalateUnapproved');
    expect(summary.states).not.toContain('Mitigate');
    expect(summary.mitigation.status).toBe('timed-out');
    expect(audiences(summary, 'escalation')).toContain('team-lead');
  });

  it('SEV4 takes the ticket path, pages nobody, and closes itself when the noise clears', async () => {
    const { summary } = await run(scenario('admin-portal-unhealthy-host-flap'));
    expect(summary.severity).toBe('SEV4');
    expect(summary.states).not.toContain('Declare');
    expect(summary.states).toContain('RecordTicket');
    expect(summary.states).not.toContain('PlanMitigation');
    expect(summary.states).not.toContain('RequestApproval');
    expect(summary.states).toContain('CheckRecovery');
    expect(summary.status).toBe('RESOLVED');
    expect(summary.notifications).toEqual([]);
  });

  it('a SEV4 ticket whose alarm never clears is raised to SEV3 and declared to on-call with the reason', async () => {
    const doc = scenario('order-events-consumer-backlog');
    const { summary, dataDir } = await run({
      ...doc,
      environment: { ...doc.environment, recovery: { resolvedBy: [] } },
    });
    expect(summary.states).toContain('RecordTicket');
    const ticketed = summary.states.indexOf('RecordTicket');
    const raised = summary.states.indexOf('Redeclare');
    expect(raised).toBeGreaterThan(ticketed);
    expect(summary.states.slice(raised)).toContain('PlanMitigation');
    expect(summary.severity).toBe('SEV3');
    const declared = summary.notifications.filter((n) => n.kind === 'declared');
    expect(declared.map((n) => n.audience)).toEqual(['oncall']);
    expect(declared[0].subject).toMatch(/^\[SEV3\]/);
    const timeline = await withLocalStore(dataDir, (store) => store.timeline(summary.incidentId));
    const raise = timeline.find((e) => e.type === 'severity-raised');
    expect(raise?.text).toMatch(/^raised SEV4 → SEV3: SEV4 ticket: .* still firing after \d+ min/);
    expect(raise?.data).toMatchObject({ from: 'SEV4', to: 'SEV3' });
    // Raised at the first check past the ticket's watch time (15 min), not after the 2-hour deadline.
    const checksBefore = summary.states.slice(0, raised).filter((s) => s === 'CheckRecovery').length;
    expect(checksBefore).toBe(3);
  });

  it('SEV3 reaches on-call only', async () => {
    const { summary } = await run(scenario('notification-sender-template-errors'));
    expect(summary.severity).toBe('SEV3');
    expect(audiences(summary)).toEqual(['oncall']);
  });

  it('SEV1 tells executives', async () => {
    const { summary } = await run(scenario('order-intake-throttled-by-recursive-thumbnailer'));
    expect(summary.severity).toBe('SEV1');
    expect(audiences(summary, 'declared')).toEqual(['executives', 'oncall', 'stakeholders']);
  });

  it('a failing phase ends in RecordFailure with the incident kept and on-call told', async () => {
    const { summary, dataDir } = await run(scenario('checkout-5xx-after-deploy'), 'auto', {
      Mitigate: 'injected failure in Mitigate',
    });
    expect(summary.executionStatus).toBe('FAILED');
    expect(summary.states.slice(-2)).toEqual(['RecordFailure', 'Failed']);
    const incident = await withLocalStore(dataDir, (store) => store.get(summary.incidentId));
    expect(incident?.failure).toMatchObject({ error: 'InjectedFault' });
    expect(incident?.status).toBe('ACTIVE');
    const failure = summary.notifications.find((n) => n.kind === 'automation-failure');
    expect(failure?.audience).toBe('oncall');
  });

  it('a raw alert with no telemetry runs the flow and says the cause is unknown', async () => {
    const payload = scenario('checkout-5xx-after-deploy').alert.payload;
    const { summary } = await run(payload);
    expect(summary.executionStatus).toBe('SUCCEEDED');
    expect(summary.category).toBe('unknown');
    expect(summary.mitigation.action).toBeNull();
    expect(summary.states).toContain('Handoff');
  });
});
