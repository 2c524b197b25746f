/**
 * Real scenarios through the real offline analyst: whatever severity and cause it concludes, the
 * response must page exactly the audiences that severity's policy names, never run an action
 * before a human approved it, keep every SMS deliverable, and close what it opened.
 */
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../domain/config.js';
import { SMS_LIMIT } from '../../../domain/notify/messages.js';
import { audiencesOf, exampleScenario, run } from '../../support/response-harness.js';

// checkout-5xx-after-deploy runs in postmortem.test.ts.
const SCENARIOS = [
  'order-intake-throttled-by-recursive-thumbnailer',
  'notification-sender-template-errors',
  'admin-portal-unhealthy-host-flap',
];

describe('real scenarios keep the response policy', () => {
  const policy = defaultConfig().severity;
  for (const name of SCENARIOS) {
    it(name, async () => {
      const { summary, messages, incident, timeline } = await run(exampleScenario(name));
      expect(summary.executionStatus).toBe('SUCCEEDED');
      const severity = incident.severity;
      expect(severity).toBeDefined();
      const p = policy[severity ?? 'SEV3'];
      if (severity === 'SEV4') expect(messages).toEqual([]);
      else expect(audiencesOf(messages, 'declared')).toEqual([...p.audiences].sort());
      // Nobody outside the policy's audiences and escalation tiers is ever paged.
      const allowed = new Set<string>([...p.audiences, ...p.escalation.map((t) => t.audience), 'oncall']);
      for (const m of messages) expect(allowed.has(m.audience), `${m.kind} to ${m.audience}`).toBe(true);
      for (const m of messages) {
        expect(m.sms.length).toBeLessThanOrEqual(SMS_LIMIT);
        expect(m.sms).toMatch(/^[\x20-\x7E]*$/);
      }
      // A mitigation only ever runs after a recorded human approval (SEV1-3 need one by default).
      const applied = timeline.findIndex((e) => e.type === 'mitigation-applied');
      if (applied >= 0) {
        const granted = timeline.findIndex((e) => e.type === 'approval-granted');
        expect(granted).toBeGreaterThanOrEqual(0);
        expect(granted).toBeLessThan(applied);
      }
      // Resolved: everyone who heard the declaration hears the all-clear.
      if (incident.status === 'RESOLVED') {
        for (const a of audiencesOf(messages, 'declared'))
          expect(audiencesOf(messages, 'all-clear')).toContain(a);
      }
      if (severity === 'SEV4' || incident.status === 'RESOLVED')
        expect(incident.postmortem).toMatch(/^# Postmortem/);
    });
  }
});
