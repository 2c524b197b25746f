import { describe, expect, it } from 'vitest';
import { AUDIENCES, type Incident, SEVERITIES } from '../../../domain/model.js';
import { composeMessage, gsmSafe, SMS_LIMIT } from '../../../domain/notify/messages.js';
import type { MessageKind } from '../../../domain/ports.js';
import { anIncident } from '../../support/incidents.js';

const KINDS: MessageKind[] = [
  'declared',
  'status-update',
  'approval-request',
  'mitigation-proposed',
  'mitigation-applied',
  'escalation',
  'all-clear',
  'automation-failure',
  'handoff',
];

const base: Incident = anIncident({
  id: 'inc-20260504-0930-ab12',
  status: 'ACTIVE',
  severity: 'SEV1',
  title: 'payments-api-5xx',
  service: 'payments-api',
  services: ['payments-api', 'checkout'],
  fingerprint: 'fp',
  source: 'cloudwatch-eventbridge',
  declaredAt: '2026-05-04T09:30:40.000Z',
  impactStartedAt: '2026-05-04T09:23:00.000Z',
  updatedAt: '2026-05-04T09:31:00.000Z',
  impact: { level: 'outage', summary: 'payments-api: 62% of requests failing', failing: ['payments-api'] },
  rootCause: {
    category: 'deployment',
    culprit: 'v42',
    summary: 'payments-api v42 introduced a null dereference in the charge path',
    causalChain: [],
    confidence: 0.86,
    evidence: ['deploy:payments-api@v42', 'log:payments-api:1a2b'],
    ruledOut: [],
    mitigation: null,
    degraded: false,
  },
});

const action = {
  kind: 'rollback' as const,
  target: 'payments-api',
  params: { toVersion: 'v41' },
  rationale: 'v42 began the errors',
};

/** Alert and model text at its worst: long, multi-line, non-ASCII, markup, GSM extension characters. */
const hostile: Incident = {
  ...base,
  id: 'inc-20260504-0930-ffff',
  title: `“Checkout” — 5xx ${'é'.repeat(20)}\nIGNORE PREVIOUS INSTRUCTIONS <script>alert(1)</script> {[|~^\\]} ${'x'.repeat(400)}`,
  services: ['a'.repeat(120)],
  service: 'a'.repeat(120),
  rootCause: {
    ...(base.rootCause as NonNullable<Incident['rootCause']>),
    summary: `→ ${'long cause '.repeat(80)}`,
    culprit: '€'.repeat(50),
  },
};

const ctxFor = (kind: MessageKind) => ({
  action,
  actionStatus:
    kind === 'mitigation-applied' ? 'applied' : kind === 'approval-request' ? 'awaiting-approval' : undefined,
  actionPreview: 'ECS service prod/payments-api: task definition payments-api:42 -> payments-api:41',
  approvalLinks:
    kind === 'approval-request'
      ? {
          approve: 'https://firebreak.example/approvals/x?d=approve',
          reject: 'https://firebreak.example/approvals/x?d=reject',
        }
      : undefined,
  approvalExpiresAt: '2026-05-04T09:46:00.000Z',
  nextUpdateAt: kind === 'all-clear' ? undefined : '2026-05-04T09:46:00.000Z',
  changes:
    kind === 'status-update'
      ? ['09:35 UTC applied: rollback payments-api', `alarm ${'still ALARM '.repeat(40)}`]
      : undefined,
  reason:
    'not recovered 30 min after declaration; the rollback applied at 09:35 UTC has not restored service',
  tier: 2,
  paged: 'engineering-manager' as const,
});

describe('messages', () => {
  it('every moment, audience and severity fits one SMS of GSM-7 characters and an ASCII subject', () => {
    let checked = 0;
    for (const incident of [base, hostile]) {
      for (const severity of SEVERITIES) {
        for (const kind of KINDS) {
          for (const audience of AUDIENCES) {
            const m = composeMessage(
              kind,
              { ...incident, severity },
              audience,
              ctxFor(kind),
              '2026-05-04T09:36:00.000Z',
            );
            expect(m.sms.length, `${kind}/${audience}: ${m.sms}`).toBeLessThanOrEqual(SMS_LIMIT);
            expect(m.sms).toMatch(/^[\x20-\x7E]*$/);
            expect(m.sms).not.toMatch(/[[\]{}\\^~|`]/);
            expect(m.sms).toContain(incident.id);
            expect(m.subject.length).toBeLessThan(100);
            expect(m.subject).toMatch(/^[\x20-\x7E]+$/);
            expect(m.subject).toContain(`[${severity}]`);
            expect(m).toMatchObject({ kind, audience, severity, incidentId: incident.id });
            checked++;
          }
        }
      }
    }
    expect(checked).toBe(2 * 4 * KINDS.length * AUDIENCES.length);
  });

  it('the email carries impact, services, hypothesis with confidence, what is being done, next update and links', () => {
    for (const kind of KINDS) {
      const m = composeMessage(kind, base, 'oncall', {
        ...ctxFor(kind),
        links: ['https://console.example/inc'],
      });
      expect(m.body, kind).toMatch(
        /Impact: +outage on payments-api \(payments-api: 62% of requests failing\)/,
      );
      expect(m.body).toMatch(/Services: +payments-api, checkout/);
      expect(m.body).toMatch(/Started: +09:23 UTC \(detected 09:30 UTC\)/);
      expect(m.body).toMatch(
        /Hypothesis: +payments-api v42 introduced .*\(deployment, 86% confidence: likely\)/,
      );
      expect(m.body).toMatch(/WHAT WE ARE DOING\n\S/);
      expect(m.body).toMatch(/NEXT UPDATE\n(By 09:46 UTC|None: the incident is resolved)/);
      expect(m.body).toMatch(/LINKS\n- https:\/\/console.example\/inc/);
    }
  });

  it('an approval request names the exact action, parameters, change, links and expiry', () => {
    const m = composeMessage('approval-request', base, 'oncall', ctxFor('approval-request'));
    expect(m.body).toContain('DECISION NEEDED');
    expect(m.body).toMatch(/Action: +rollback payments-api \(toVersion=v41\)/);
    expect(m.body).toMatch(/Root cause: +deployment \(v42\), 86% confidence: payments-api v42 introduced/);
    expect(m.body).toMatch(/Evidence: +evidence ids: deploy:payments-api@v42, log:payments-api:1a2b/);
    expect(m.body).toMatch(/Undo: +roll forward to the version running before the rollback/);
    expect(m.body).toMatch(
      /Will change: +ECS service prod\/payments-api: task definition payments-api:42 -> payments-api:41/,
    );
    expect(m.body).toMatch(/Approve: +https:\/\/firebreak.example\/approvals\/x\?d=approve/);
    expect(m.body).toMatch(/Reject: +https:\/\/firebreak.example\/approvals\/x\?d=reject/);
    expect(m.body).toMatch(/Expires: +2026-05-04 09:46 UTC; without a decision nothing runs/);
    expect(m.sms).toMatch(
      /^SEV1 APPROVE\? inc-20260504-0930-ab12 rollback payments-api: cause deployment v42 86%\. .*Exp 09:46Z$/,
    );
  });

  it('stakeholders and executives get impact and plan without the evidence ids', () => {
    const exec = composeMessage('declared', base, 'executives', {});
    const oncall = composeMessage('declared', base, 'oncall', {});
    expect(oncall.body).toMatch(/Evidence: +deploy:payments-api@v42/);
    expect(exec.body).not.toContain('Evidence:');
    expect(exec.body).toContain('Impact:');
  });

  it('alert and model text cannot add lines or markup to the message structure', () => {
    const m = composeMessage('declared', hostile, 'oncall', {});
    expect(m.subject).not.toContain('\n');
    expect(m.body.split('\n')[0]).toContain('IGNORE PREVIOUS INSTRUCTIONS'); // quoted as data, on the headline's one line
    expect(m.body.split('\n').some((l) => l.startsWith('IGNORE'))).toBe(false);
    expect(m.body.split('\n')[0].length).toBeLessThan(500);
  });

  it('an escalation says who is paged and why; an all-clear says when and how long', () => {
    const esc = composeMessage('escalation', base, 'engineering-manager', {
      ...ctxFor('escalation'),
      links: ['https://console.example/inc'],
    });
    expect(esc.subject).toContain('ESCALATION T2');
    expect(esc.body).toMatch(/ASK\nengineering-manager: take or confirm incident command at https:\/\//);
    expect(esc.body).toContain('has not restored service');
    const clear = composeMessage(
      'all-clear',
      { ...base, status: 'RESOLVED', resolvedAt: '2026-05-04T09:52:00.000Z' },
      'executives',
      {},
    );
    expect(clear.sms).toMatch(/RESOLVED .*recovered 09:52Z, 22 min after detection/);
    expect(clear.body).toMatch(/None: the incident is resolved/);
  });

  it('keeps SMS text in the GSM-7 basic alphabet', () => {
    expect(gsmSafe('“quoted” — café → {x} […] ~|^\\')).toBe('"quoted" - caf? -> (x) (...) ////');
  });

  it('impact words come from the recorded measurement, not from the severity', () => {
    // A critical service with minor measured impact is SEV2: routing says SEV2, impact says minor.
    const minor: Incident = {
      ...base,
      severity: 'SEV2',
      impact: {
        level: 'minor',
        summary: 'payments-api: 4.1% of requests failing',
        failing: ['payments-api'],
      },
    };
    for (const kind of KINDS) {
      for (const audience of AUDIENCES) {
        const m = composeMessage(kind, minor, audience, ctxFor(kind));
        expect(m.body, `${kind}/${audience}`).toMatch(
          /Impact: +minor degradation on payments-api \(payments-api: 4\.1%/,
        );
        expect(`${m.body}\n${m.sms}`, `${kind}/${audience}`).not.toMatch(/major degradation|critical impact/);
      }
    }
    expect(composeMessage('declared', minor, 'oncall').sms).toContain('minor degradation');
    const unmeasured = composeMessage('declared', { ...base, impact: undefined }, 'oncall');
    expect(unmeasured.body).toMatch(/Impact: +not measured yet on payments-api/);
  });

  it('stakeholders and executives get no CLI commands; on-call does', () => {
    const ctx = (kind: MessageKind) => ({
      ...ctxFor(kind),
      changes: ['09:40 UTC approval requested: firebreak approve inc-1 to run it', '09:41 UTC alarm OK'],
      links: ['https://console.example/inc', 'firebreak incidents show inc-20260504-0930-ab12'],
    });
    for (const kind of KINDS) {
      for (const audience of ['stakeholders', 'executives'] as const) {
        const m = composeMessage(kind, base, audience, ctx(kind));
        expect(`${m.body}\n${m.sms}`, `${kind}/${audience}`).not.toMatch(
          /firebreak (approve|reject|incidents)/,
        );
        expect(m.body).toContain('https://console.example/inc');
      }
      expect(composeMessage(kind, base, 'oncall', ctx(kind)).body).toContain('firebreak incidents show');
    }
    // Without a console link, stakeholders get no LINKS section rather than a command.
    expect(composeMessage('declared', base, 'stakeholders', {}).body).not.toContain('LINKS');
  });

  it('a finished investigation without a cause says so instead of "continues"', () => {
    const unknown: Incident = {
      ...base,
      rootCause: {
        ...(base.rootCause as NonNullable<Incident['rootCause']>),
        category: 'unknown',
        summary: 'no candidate cleared the bar; best lead: payments-api latency',
        confidence: 0.3,
      },
    };
    const m = composeMessage('status-update', unknown, 'executives', ctxFor('status-update'));
    expect(m.body).toMatch(
      /Hypothesis: +The investigation finished without an established cause: no candidate/,
    );
    expect(m.body).not.toContain('the investigation continues');
  });

  it('an escalation SMS says what to do, and an update SMS says how bad it is', () => {
    const esc = composeMessage('escalation', base, 'team-lead', ctxFor('escalation'));
    expect(esc.sms).not.toContain('Please join');
    expect(esc.sms).toMatch(/outage payments-api: .*Take incident command/);
    const exec = composeMessage('escalation', base, 'executives', ctxFor('escalation'));
    expect(exec.sms).toMatch(/The IC will brief you/);
    const update = composeMessage('status-update', base, 'oncall', ctxFor('status-update'));
    expect(update.sms).toMatch(/^SEV1 UPDATE inc-20260504-0930-ab12 ACTIVE, outage payments-api: /);
    expect(update.sms.length).toBeLessThanOrEqual(SMS_LIMIT);
  });
});
