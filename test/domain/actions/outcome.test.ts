/** The one outcome builder every AWS action uses: a dry-run never touches anything. */
import { describe, expect, it } from 'vitest';
import { changeOutcome } from '../../../domain/actions/outcome.js';

describe('changeOutcome', () => {
  const plan = {
    before: { desiredCount: 2 },
    expected: { desiredCount: 4 },
    detail: 'ECS service prod/api: desired count 2 -> 4 (max 8)',
    resolvedParams: { desiredCount: 4 },
  };

  it('reports a dry-run with the expected state and pinned parameters, without applying', async () => {
    let applied = 0;
    const outcome = await changeOutcome(true, plan, async () => {
      applied++;
      return {};
    });
    expect(applied).toBe(0);
    expect(outcome).toStrictEqual({
      status: 'dry-run',
      before: { desiredCount: 2 },
      after: { desiredCount: 4 },
      detail: plan.detail,
      resolvedParams: { desiredCount: 4 },
    });
    // Nothing to pin: no resolvedParams key at all (a stored outcome stays as it was).
    const restart = await changeOutcome(true, { ...plan, resolvedParams: undefined }, async () => ({}));
    expect(Object.keys(restart)).toEqual(['status', 'before', 'after', 'detail']);
  });

  it('applies once and reports the state the change left', async () => {
    let applied = 0;
    const outcome = await changeOutcome(false, plan, async () => {
      applied++;
      return { desiredCount: 4, runningCount: 2 };
    });
    expect(applied).toBe(1);
    expect(outcome).toStrictEqual({
      status: 'applied',
      before: { desiredCount: 2 },
      after: { desiredCount: 4, runningCount: 2 },
      detail: plan.detail,
    });
  });
});
