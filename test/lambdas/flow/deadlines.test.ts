/**
 * Every model step's deadline, with room for the offline answer, fits inside the Lambda that runs it,
 * which fits inside its Task's TimeoutSeconds: otherwise the engine cuts the step off before the
 * fallback answers and the incident stops untriaged (issue 13, first failure).
 */
import { describe, expect, it } from 'vitest';
import { ClaudeAnalyst } from '../../../domain/analyst/claude/index.js';
import {
  FALLBACK_RESERVE_MS,
  MODEL_STEP_DEADLINE_MS,
  MODEL_STEP_PHASE,
  type ModelStep,
} from '../../../domain/analyst/deadlines.js';
import { OfflineAnalyst } from '../../../domain/analyst/offline/index.js';
import { noEvidence } from '../../../domain/evidence/unavailable.js';
import { PHASE_PROFILES } from '../../../lib/profiles.js';
import { readDefinitionText, taskMap } from '../../../statemachines/definition.js';

const steps = Object.keys(MODEL_STEP_PHASE) as ModelStep[];
const tasks = [...taskMap(readDefinitionText()).entries()];
const analyst = new ClaudeAnalyst({
  client: { messages: { create: () => Promise.reject(new Error('not called')) } },
  evidence: noEvidence,
  fallback: new OfflineAnalyst(noEvidence),
});

describe('model step deadlines', () => {
  it.each(steps)('%s: deadline + fallback < Lambda timeout < every Task that runs it', (step) => {
    const key = MODEL_STEP_PHASE[step];
    const deadline = analyst.deadlineMs(step);
    expect(deadline).toBe(MODEL_STEP_DEADLINE_MS[step]);
    const lambdaMs = PHASE_PROFILES[key].timeoutSeconds * 1000;
    expect(deadline + FALLBACK_RESERVE_MS).toBeLessThan(lambdaMs);
    const running = tasks.filter(([, t]) => t.key === key);
    expect(running.length).toBeGreaterThan(0);
    for (const [name, task] of running) {
      // The local engine enforces the Task's TimeoutSeconds on the in-process phase (60 s by default).
      const taskMs = Number(task.state.TimeoutSeconds ?? 60) * 1000;
      expect(lambdaMs, name).toBeLessThan(taskMs);
    }
  });

  it('every phase that calls the analyst has a model step deadline', () => {
    const analystPhases = Object.entries(PHASE_PROFILES)
      .filter(([, p]) => p.analyst)
      .map(([k]) => k);
    expect(new Set(Object.values(MODEL_STEP_PHASE))).toEqual(new Set(analystPhases));
  });
});
