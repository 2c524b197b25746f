/**
 * Callers failing together on a broker we run say the broker broke; the broker's own known failure
 * (its nodes partitioned) says why, and is what responders act on: restart the partitioned side,
 * not wait on a "dependency". Without that line of its own, the callers' story stands.
 *
 * Built on a corpus incident (a RabbitMQ partition between Availability Zones) because the callers'
 * shared-error story needs the whole of it: a caller's release just before, and every caller's lines.
 */
import { describe, expect, it } from 'vitest';
import { loadScenario, runScenario } from './harness.js';

const FILE = 'corpus/dev/pm19-task-broker-partition-strands-queued-tasks-legacy-webhooks-lost.json';
const PARTITION = /running_partitioned_network|not responding|Mirrored queue|rabbit on node/;

describe("a service's own known failure behind its callers' errors", () => {
  it('is the root cause for a service we run', async () => {
    const run = await runScenario(loadScenario(FILE));
    expect(run.rootCause.category).toBe('network');
    expect(run.rootCause.culprit).toBe('task-broker');
    expect(run.rootCause.summary).toMatch(/partition/i);
  });

  it('leaves the broker a failing dependency when its own lines say nothing of why', async () => {
    const s = loadScenario(FILE);
    s.environment.logs = s.environment.logs.filter((l) => !PARTITION.test(l.message));
    const run = await runScenario(s);
    expect(run.rootCause.category).toBe('dependency');
    expect(run.rootCause.culprit).toBe('task-broker');
  });
});
