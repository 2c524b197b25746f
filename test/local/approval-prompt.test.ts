/**
 * The terminal prompt is an approval request like the email: the approver decides from it alone.
 * A rejection is the flow's decision, printed as one, not as a failed state.
 */
import { describe, expect, it } from 'vitest';
import { exampleScenario, run } from '../support/response-harness.js';

describe('approval at the terminal', () => {
  it('shows cause, confidence, evidence, blast radius, what changes, undo and expiry; a rejection prints as a decision', async () => {
    const questions: string[] = [];
    const lines: string[] = [];
    const { incident } = await run(exampleScenario('checkout-5xx-after-deploy'), {
      approve: 'prompt',
      ask: async (q) => {
        questions.push(q);
        return false;
      },
      progress: (l) => lines.push(l),
    });
    expect(questions).toHaveLength(1);
    const q = questions[0];
    expect(q).toMatch(/Root cause: +deployment \(v187\), 90% confidence: Deployment of checkout v187/);
    expect(q).toMatch(/Evidence: +checkout v187 deployed at 13:58/);
    expect(q).toMatch(/evidence ids: deploy:checkout@v187/);
    expect(q).toMatch(/Action: +rollback checkout \(toVersion=v186, fromVersion=v187\)/);
    expect(q).toMatch(/Will change: +\S/);
    expect(q).toMatch(/Touches: +checkout; blast radius of the incident: checkout, /);
    expect(q).toMatch(/Undo: +roll forward: redeploy checkout v187/);
    expect(q).toMatch(/Expires: +2026-03-10 \d\d:\d\d UTC; without a decision nothing runs/);
    expect(q.trimEnd().split('\n').at(-1)).toMatch(/\? Approve rollback checkout .*\? \[y\/N\]$/);

    expect(incident.mitigation?.status).toBe('rejected');
    // A person answered at the prompt: that is the acknowledgement MTTA measures.
    expect(incident.acknowledgedAt).toBeDefined();
    const output = lines.join('\n');
    expect(output).toContain('Approval rejected: nothing runs; escalating to the next tier');
    expect(output).not.toMatch(/RequestApproval failed/);
  });
});
