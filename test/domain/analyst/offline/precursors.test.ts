/**
 * A known cause logged hours before the page (a process OOM-killed at dawn, nobody answering
 * since) is a precursor the investigation reads from the day before its window; a line that was
 * already there as that earlier read begins is background, and a symptom from then is history.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario } from './fixtures.js';
import { runScenario } from './harness.js';

type Env = Partial<Scenario['environment']>;

const KILL = 'kernel: Out of memory: Killed process 2417 (vaultd) total-vm:15923412kB, anon-rss:14311208kB';

const env = (killedAt: number, message = KILL): Env => ({
  services: [api('backup-api'), api('billing-web', ['backup-api'])],
  logs: [
    { service: 'backup-api', timestamp: at(killedAt), level: 'ERROR', count: 1, message },
    {
      service: 'billing-web',
      timestamp: at(-50),
      level: 'ERROR',
      count: 300,
      message: 'usage sync: connect to backup-api-1:9279 failed: ECONNREFUSED',
    },
  ],
});

const conclude = async (e: Env) =>
  (await runScenario(scenario('backup-api', e, 'backup-api down for hours, customers emailing'))).rootCause;

describe('a known cause logged hours before the window', () => {
  it('is read as the precursor of the incident and concluded with its evidence', async () => {
    const rc = await conclude(env(-7 * 60));
    expect(rc.category).toBe('capacity');
    expect(rc.culprit).toBe('backup-api');
    expect(rc.summary).toMatch(/Out of memory|killed/i);
  });

  it('is background when it was already logged as the earlier read began', async () => {
    const rc = await conclude(env(-24 * 60 + 20));
    expect(rc.summary).not.toMatch(/Out of memory|oom/i);
  });

  it('is history when it is only a symptom', async () => {
    const rc = await conclude(
      env(-7 * 60, 'upstream timed out (110: Connection timed out) while reading response header'),
    );
    expect(rc.summary).not.toMatch(/timed out/i);
  });
});
