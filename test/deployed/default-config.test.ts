/**
 * What deploys is what runs: the stack synthesized with bundling (the default configuration), its
 * rendered state machine executed with every Task served by the bundled asset of its function.
 * One synthesis for the file (it bundles every function: about a minute on two cores).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Assembly, synthesizeAssembly } from './assembly.js';
import { Deployed } from './deployed.js';
import { alertToIncident, scenarioAlert } from './flow.js';

let assembly: Assembly;
let deployed: Deployed;
beforeAll(async () => {
  assembly = synthesizeAssembly({});
  // Recovered from the first check on: the flow resolves after its healthy checks.
  deployed = await Deployed.start(assembly, { alarmState: 'OK', secrets: {} });
}, 240_000);
afterAll(async () => {
  await deployed?.close();
  assembly?.dispose();
});

describe('the deployed artifacts, default configuration', () => {
  it('maps every Task of the rendered definition to a bundled function with the Lambda runtime it targets', () => {
    const { tasks, unmapped } = deployed.taskFunctions(deployed.definition());
    expect(unmapped).toEqual([]);
    expect(tasks.size).toBeGreaterThan(10);
    for (const fn of deployed.functions) {
      expect(fn.runtime, fn.logicalId).toBe('nodejs22.x');
      expect(fn.handler, fn.logicalId).toBe('index.handler');
    }
  });

  it('loads every function from its asset under its handler name, with the environment the template gives it', async () => {
    const failures: string[] = [];
    for (const fn of deployed.functions) {
      await deployed
        .load(fn)
        .catch((err: Error) => failures.push(`${fn.logicalId}: ${err.name}: ${err.message}`));
    }
    expect(failures).toEqual([]);
    expect(deployed.functions.length).toBeGreaterThanOrEqual(19);
  }, 120_000);

  it('runs an EventBridge alarm through the ingest bundle to an incident resolved, recorded and announced', async () => {
    const { ingested, run, incident, published } = await alertToIncident(
      deployed,
      scenarioAlert('checkout-5xx-after-deploy.json'),
    );
    expect(ingested.decision).toBe('start');
    // A bundle that cannot load, or a variable its code reads and the template lacks, fails here by name.
    expect(deployed.invocations.filter((i) => !i.ok)).toEqual([]);
    expect(run.error).toBeUndefined();
    expect(run.status).toBe('SUCCEEDED');
    expect(run.states).toEqual(
      expect.arrayContaining(['Triage', 'Declare', 'Investigate', 'Resolve', 'Postmortem']),
    );
    expect(incident?.status).toBe('RESOLVED');
    expect(incident?.postmortem).toBeTruthy();
    const topic = deployed.byService('firebreak-declare').environment.TOPIC_ARN;
    expect(published.length).toBeGreaterThan(0);
    expect(published.every((p) => p.topic === topic)).toBe(true);
    expect(published.map((p) => p.subject)).toEqual(
      expect.arrayContaining([expect.stringMatching(/DECLARED/), expect.stringMatching(/RESOLVED/)]),
    );
    // Every function the flow called loaded from its asset and answered; none reached an unserved API.
    expect(deployed.calls.filter((c) => c.command === 'unexpected')).toEqual([]);
  }, 180_000);
});
