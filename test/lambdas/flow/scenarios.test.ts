/**
 * Real scenarios through the real offline analyst: whatever severity and cause it concludes, the
 * response must page exactly the audiences that severity's policy names, never run an action
 * before a human approved it, keep every SMS deliverable, and close what it opened.
 */
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../domain/config.js';
import { SMS_LIMIT } from '../../../domain/notify/messages.js';
import { audiencesOf, exampleScenario, run } from '../../support/response-harness.js';

// checkout-5xx-after-deploy runs in postmortem.test.ts. What the offline analyst concludes for each
// is pinned, so every check below runs for every scenario and a changed conclusion fails here.
const SCENARIOS = [
  { name: 'order-intake-throttled-by-recursive-thumbnailer', severity: 'SEV1', mitigated: true },
  { name: 'notification-sender-template-errors', severity: 'SEV3', mitigated: true },
  // SEV4: nobody is paged and nothing is proposed.
  { name: 'admin-portal-unhealthy-host-flap', severity: 'SEV4', mitigated: false },
] as const;

describe('real scenarios keep the response policy', () => {
  const policy = defaultConfig().severity;
  for (const { name, severity, mitigated } of SCENARIOS) {
    it(name, async () => {
      const { summary, messages, incident, timeline } = await run(exampleScenario(name));
      expect(summary.executionStatus).toBe('SUCCEEDED');
      expect(incident.severity).toBe(severity);
      expect(incident.status).toBe('RESOLVED');
      const p = policy[severity];
      const paged = severity !== 'SEV4';
      expect(messages.length > 0, 'anyone paged').toBe(paged);
      expect(audiencesOf(messages, 'declared')).toEqual(paged ? [...p.audiences].sort() : []);
      // Nobody outside the policy's audiences and escalation tiers is ever paged.
      const allowed = new Set<string>([...p.audiences, ...p.escalation.map((t) => t.audience), 'oncall']);
      for (const m of messages) expect(allowed.has(m.audience), `${m.kind} to ${m.audience}`).toBe(true);
      for (const m of messages) {
        expect(m.sms.length).toBeLessThanOrEqual(SMS_LIMIT);
        expect(m.sms).toMatch(/^[\x20-\x7E]*$/);
      }
      // A mitigation only ever runs after a recorded human approval (SEV1-3 need one by default).
      const approvalThenAction = timeline
        .map((e) => e.type)
        .filter((type) => type === 'approval-granted' || type === 'mitigation-applied');
      expect(approvalThenAction).toEqual(mitigated ? ['approval-granted', 'mitigation-applied'] : []);
      // Resolved: everyone who heard the declaration hears the all-clear.
      expect(audiencesOf(messages, 'all-clear')).toEqual(audiencesOf(messages, 'declared'));
      expect(incident.postmortem).toMatch(/^# Postmortem/);
    });
  }
});
