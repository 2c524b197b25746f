/**
 * The whole local flow against a model that hangs, one that trickles bytes and one that answers
 * 429/529/500 until the deadline: every incident is still triaged, declared, investigated (marked
 * degraded) and announced, because each step gives up at its deadline and the offline analyst
 * answers inside the same Task.
 */
import { describe, expect, it } from 'vitest';
import type { FakeReply } from './fake-messages-api.js';
import { runWithModel } from './run-pipeline.js';
import { fixture } from './scenario-context.js';

const scenario = fixture('checkout-deploy.json');
const DEADLINE_MS = 700;

const faults: Array<[string, () => FakeReply]> = [
  ['hangs', () => ({ hang: true })],
  ['trickles bytes', () => ({ trickleEveryMs: 100 })],
  [
    'answers 429/529/500 until the deadline',
    (() => {
      let n = 0;
      const statuses = [429, 529, 500] as const;
      // retry-after-ms asks the SDK to wait longer than the deadline: only the deadline ends the step.
      return () => ({ status: statuses[n++ % 3], headers: { 'retry-after-ms': '30000' } });
    })(),
  ],
];

describe('a model step that never answers', () => {
  it.each(faults)(
    'the model %s: declared, investigated degraded, announced',
    async (_, reply) => {
      const started = Date.now();
      const run = await runWithModel(scenario, reply, { stepTimeoutMs: DEADLINE_MS });
      const wall = Date.now() - started;
      const timeline = run.timeline ?? [];
      const types = timeline.map((e) => e.type);

      expect(run.requests.length).toBeGreaterThan(0);
      expect(run.summary.executionStatus).toBe('SUCCEEDED');
      expect(types).not.toContain('automation-failure');
      expect(run.summary.severity).toMatch(/^SEV[1-3]$/);
      expect(timeline.find((e) => e.type === 'triaged')?.text).toMatch(/model step failed: timeout/);
      expect(types).toContain('declared');
      const findings = timeline.filter((e) => e.type === 'finding');
      expect(findings.length).toBeGreaterThan(0);
      expect(findings.every((e) => e.text.endsWith('[degraded]'))).toBe(true);
      expect(run.incident?.rootCause?.degraded).toBe(true);
      expect(run.incident?.rootCause?.ruledOut.at(-1)).toMatch(/model synthesis set aside \(timeout/);
      const kinds = run.summary.notifications.map((m) => m.kind);
      expect(kinds).toContain('declared');
      expect(kinds).not.toContain('automation-failure');
      // Triage, the specialists (in parallel), synthesis and the postmortem each wait one deadline.
      expect(wall).toBeLessThan(4 * DEADLINE_MS + 20_000);
    },
    60_000,
  );
});
