/**
 * The response routes through the local engine (the ASL, aws-local-stepfunctions, the phases,
 * dynalite), with a scripted analyst so each route is pinned: who hears what, in which order, and
 * that nothing runs without approval.
 */
import { describe, expect, it } from 'vitest';
import { withLocalStore } from '../../../adapters/embedded/dynamodb.js';
import { ApprovalRefused, decideApproval } from '../../../domain/approval/approval.js';
import { ManualClock } from '../../../domain/clock.js';
import { SMS_LIMIT } from '../../../domain/notify/messages.js';
import type { OutboundMessage } from '../../../domain/ports.js';
import { audiencesOf, fixture, kindsInOrder, run } from '../../support/response-harness.js';

/** Every SMS fits one GSM-7 segment: at most 160 characters of the basic alphabet. */
function expectDeliverable(messages: OutboundMessage[]) {
  for (const m of messages) {
    expect(m.sms.length, m.sms).toBeLessThanOrEqual(SMS_LIMIT);
    expect(m.sms, m.sms).toMatch(/^[\x20-\x7E]*$/);
    expect(m.sms).not.toMatch(/[[\]{}\\^~|`]/);
    expect(m.subject.length).toBeLessThanOrEqual(100);
    expect(m.subject).not.toMatch(/\n/);
  }
}

const rollback = (target: string) => ({ kind: 'rollback' as const, target, params: { toVersion: 'v41' } });

describe('incident commander routes', () => {
  it('SEV1: declared → approval request → applied → update → all-clear, executives kept informed', async () => {
    const { summary, messages, incident, timeline } = await run(fixture('sev1-payments-rollback'), {
      script: { severity: 'SEV1', mitigation: rollback('payments-api') },
    });
    expect(summary.status).toBe('RESOLVED');
    expect(kindsInOrder(messages)).toEqual([
      'declared',
      'approval-request',
      'mitigation-applied',
      'status-update',
      'all-clear',
    ]);
    for (const kind of ['declared', 'status-update', 'all-clear', 'mitigation-applied']) {
      expect(audiencesOf(messages, kind), kind).toEqual(['executives', 'oncall', 'stakeholders']);
    }
    expect(audiencesOf(messages, 'approval-request')).toEqual(['oncall']);
    // The approval request names the exact action, its parameters, and how to answer.
    const request = messages.find((m) => m.kind === 'approval-request') as OutboundMessage;
    expect(request.body).toMatch(/Action: +rollback payments-api \(toVersion=v41\)/);
    expect(request.body).toMatch(/Undo: +\S/);
    expect(request.body).toContain(`firebreak approve ${incident.id}`);
    expect(request.body).toMatch(/NEXT UPDATE\nBy 09:45 UTC/); // the SEV1 cadence, counted from the declaration
    // The update says what changed since the declaration, and when the next one comes.
    const update = messages.find(
      (m) => m.kind === 'status-update' && m.audience === 'oncall',
    ) as OutboundMessage;
    expect(update.body).toMatch(/SINCE THE LAST UPDATE[\s\S]*applied: rollback payments-api/);
    expect(update.body).toMatch(/alarm back to OK; confirming recovery/);
    expect(update.body).toMatch(/NEXT UPDATE\nBy \d\d:\d\d UTC/);
    // Escalation was held: the alarm was already recovering when the 15-minute tier came due.
    expect(incident.escalationTier).toBe(0);
    expect(timeline.find((e) => e.type === 'approval-granted')?.actor).toBe('local:--approve auto');
    // --approve auto is configuration answering, not a person: MTTA must not count it.
    expect(incident.acknowledgedAt).toBeUndefined();
    expect(incident.impactStartedAt).toBe('2026-05-04T09:23:00.000Z');
    expectDeliverable(messages);
  });

  it('SEV3 reaches only on-call', async () => {
    const { summary, messages } = await run(fixture('sev3-reports-rollback'), {
      script: { severity: 'SEV3', mitigation: rollback('report-exporter') },
    });
    expect(summary.status).toBe('RESOLVED');
    expect(messages.length).toBeGreaterThanOrEqual(4);
    expect(audiencesOf(messages)).toEqual(['oncall']);
    expect(kindsInOrder(messages)).toEqual([
      'declared',
      'approval-request',
      'mitigation-applied',
      'all-clear',
    ]);
    expectDeliverable(messages);
  });

  it('SEV4 pages nobody, suggests its fix on the ticket without running it, and closes when the alarm clears', async () => {
    const { summary, messages, incident, timeline } = await run(fixture('sev4-admin-cosmetic'), {
      script: { severity: 'SEV4', category: 'code', mitigation: rollback('admin-console') },
    });
    expect(summary.states).toContain('RecordTicket');
    expect(summary.status).toBe('RESOLVED');
    expect(messages).toEqual([]);
    expect(summary.notifications).toEqual([]);
    expect(incident.postmortem).toMatch(/^# Postmortem/);
    expect(incident.mitigation).toMatchObject({
      status: 'proposed',
      action: { kind: 'rollback', target: 'admin-console' },
    });
    expect(summary.states).not.toContain('Mitigate');
    expect(timeline.some((e) => e.type.startsWith('mitigation-'))).toBe(false);
  });

  it('a denied approval runs nothing and escalates', async () => {
    const { summary, messages, incident, timeline } = await run(fixture('sev2-checkout-needs-rollback'), {
      approve: 'deny',
      script: { severity: 'SEV2', mitigation: rollback('checkout') },
      config: { monitorDeadlineMinutes: 35 },
    });
    expect(summary.states).not.toContain('Mitigate');
    expect(timeline.some((e) => e.type.startsWith('mitigation-'))).toBe(false);
    expect(incident.mitigatedAt).toBeUndefined();
    expect(incident.mitigation?.status).toBe('rejected');
    expect(incident.status).not.toBe('RESOLVED');
    expect(kindsInOrder(messages)).not.toContain('mitigation-applied');
    const escalation = messages.find((m) => m.kind === 'escalation' && m.audience === 'team-lead');
    expect(escalation?.body).toContain('the proposed mitigation was rejected; nothing was run');
    expect(timeline.find((e) => e.type === 'approval-rejected')?.text).toMatch(
      /^rejected by local:--approve deny/,
    );
    expect(incident.acknowledgedAt).toBeUndefined(); // --approve deny is no person either
    expectDeliverable(messages);
  });

  it('a timed-out approval runs nothing, escalates, and refuses a late answer', async () => {
    const { summary, messages, incident, dataDir } = await run(fixture('sev2-checkout-needs-rollback'), {
      approve: 'timeout',
      script: { severity: 'SEV2', mitigation: rollback('checkout') },
      config: { monitorDeadlineMinutes: 35 },
    });
    expect(summary.states).toContain('EscalateUnapproved');
    expect(summary.states).not.toContain('Mitigate');
    expect(incident.mitigation?.status).toBe('timed-out');
    expect(incident.mitigatedAt).toBeUndefined();
    expect(audiencesOf(messages, 'escalation')).toEqual(['engineering-manager', 'oncall', 'team-lead']);
    const late = await withLocalStore(dataDir, (store) =>
      decideApproval({ store, clock: new ManualClock(new Date()) }, incident.id, {
        approved: true,
        actor: 'cli:late',
      }).catch((e: unknown) => e),
    );
    expect(late).toBeInstanceOf(ApprovalRefused);
    expect((late as ApprovalRefused).code).toBe('expired');
    expectDeliverable(messages);
  });

  it('an action that does not help leads to escalation, then hand-off to humans', async () => {
    // The scenario recovers only after a rollback; the scripted proposal is a restart.
    const { summary, messages, incident, timeline } = await run(fixture('sev2-checkout-needs-rollback'), {
      script: { severity: 'SEV2', mitigation: { kind: 'restart', target: 'checkout', params: {} } },
      config: { monitorDeadlineMinutes: 35 },
    });
    expect(incident.mitigation?.status).toBe('applied');
    expect(incident.status).toBe('MITIGATED');
    expect(incident.resolvedAt).toBeUndefined();
    expect(incident.escalationTier).toBe(2);
    const escalated = timeline.filter((e) => e.type === 'escalated');
    expect(escalated.map((e) => (e.data as { audience: string }).audience)).toEqual([
      'team-lead',
      'engineering-manager',
    ]);
    expect(escalated[0].text).toMatch(/restart checkout applied at \d\d:\d\d UTC has not restored service/);
    expect(summary.states.slice(-3)).toEqual(['Handoff', 'Postmortem', 'Done']);
    expect(audiencesOf(messages, 'handoff')).toEqual(['engineering-manager', 'oncall', 'team-lead']);
    expect(messages.filter((m) => m.kind === 'all-clear')).toEqual([]);
    expectDeliverable(messages);
  });

  it('an action configuration does not enable is proposed to on-call, explained, and never run', async () => {
    const { summary, messages, incident } = await run(fixture('sev2-checkout-needs-rollback'), {
      script: { severity: 'SEV2', mitigation: rollback('checkout') },
      config: { enabledActions: ['scale'], monitorDeadlineMinutes: 20 },
    });
    expect(summary.states).not.toContain('RequestApproval');
    expect(summary.states).not.toContain('Mitigate');
    expect(incident.mitigation?.status).toBe('proposed');
    const proposal = messages.find((m) => m.kind === 'mitigation-proposed');
    expect(proposal?.audience).toBe('oncall');
    expect(proposal?.body).toContain('rollback is not enabled');
    expect(proposal?.sms).toMatch(/PROPOSED .*rollback checkout \(not automated\)/);
    expect(kindsInOrder(messages)).toContain('escalation');
    expectDeliverable(messages);
  });
});
