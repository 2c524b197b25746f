/** The whole local pipeline with the Claude analyst: usage recorded, and a model that is down. */
import { describe, expect, it } from 'vitest';
import { runOffline, runWithModel } from './run-pipeline.js';
import { fixture } from './scenario-context.js';
import { scriptedModel } from './scripted-models.js';

const scenario = fixture('checkout-deploy.json');

describe('the pipeline with the Claude analyst', () => {
  it('records token usage on the incident: input, cached input and output', async () => {
    const { incident, requests } = await runWithModel(
      scenario,
      scriptedModel({ specialists: ['logs', 'changes'] }),
    );
    // triage 1 + two specialists × 2 + synthesis 2 + postmortem 1
    expect(requests).toHaveLength(8);
    expect(incident?.tokenUsage?.input).toBeGreaterThan(0);
    expect(incident?.tokenUsage?.cachedInput).toBeGreaterThan(0);
    // Every call answers 50 output tokens; triage, specialists and synthesis are summed by their
    // phases (7 calls). The postmortem's call is not yet added by the postmortem phase.
    expect(incident?.tokenUsage?.output).toBeGreaterThanOrEqual(50 * 7);
    expect(incident?.rootCause?.degraded).toBe(false);
  }, 60_000);

  it('still responds when the model is overloaded: every step degraded, the offline answer stands', async () => {
    const down = await runWithModel(scenario, () => ({ status: 529, errorType: 'overloaded_error' }));
    const offline = await runOffline(scenario);
    expect(down.summary.executionStatus).toBe('SUCCEEDED');
    expect(down.summary.category).toBe(offline.category);
    expect(down.summary.mitigation).toEqual(offline.mitigation);
    expect(down.summary.status).toBe(offline.status);
    expect(down.incident?.rootCause?.degraded).toBe(true);
    const timeline = down.timeline ?? [];
    const findings = timeline.filter((e) => e.type === 'finding');
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((e) => e.text.endsWith('[degraded]'))).toBe(true);
    expect(timeline.find((e) => e.type === 'triaged')?.text).toContain('degraded');
    // Each step tried the API (and the SDK retried once) before falling back.
    expect(down.requests.length).toBeGreaterThanOrEqual(2 * (findings.length + 3));
  }, 60_000);
});
