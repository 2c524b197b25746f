/**
 * What deploys is what runs: the stack synthesized and its functions bundled as their NodejsFunction
 * bundles them, its rendered state machine run on aws-local-stepfunctions with every Task served by
 * the bundle of its function (deployed.ts), for the default deploy configuration and for one with
 * every optional part on. Both stacks come from one synthesis and one esbuild build (assembly.ts).
 * Then the faults it must catch, planted: a bad import, a missing environment variable.
 *
 * Not yet here: an approval answered through the approval-api bundle's signed link. Reaching
 * RequestApproval needs a mitigation the analyst can prove from AWS-shaped telemetry (CloudTrail
 * deploy events, the Lambda or ECS dry-run), which the mocked clients do not serve yet.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPROVAL_ENTRY, PROJECT_ROOT } from '../../lib/bundling.js';
import { FirebreakFunction } from '../../lib/function.js';
import { cdkContext } from '../lib/synth.js';
import { type Assemblies, type Assembly, synthesizeAssemblies } from './assembly.js';
import type { Deployed } from './deployed.js';
import { alertToIncident, scenarioAlert, startDeployed } from './flow.js';

const production = JSON.parse(
  readFileSync(join(import.meta.dirname, '../lib/fixtures/production.json'), 'utf8'),
);
/** Subscribers, cadences, every mitigation kind, a catalog, resources, the Anthropic key secret. */
const EVERY_OPTION = { ...production, stackName: 'FirebreakEveryOption' };
const DEFAULTS = { stackName: 'FirebreakDefaults' };

/**
 * A planted bad import: the declare function's handler plus a package the bundler leaves external
 * (`@aws-sdk/*`, which Lambda's runtime provides) and which does not exist.
 */
const PLANTED_MODULE = '@aws-sdk/client-firebreak-planted';
const DECLARE_ENTRY = join('lambdas', 'declare', 'handler.ts');
const plantDir = mkdtempSync(join(tmpdir(), 'firebreak-planted-'));
const PLANTED_ENTRY = join(plantDir, 'declare-bad-import.ts');
writeFileSync(
  PLANTED_ENTRY,
  `import '${PLANTED_MODULE}';\nexport * from ${JSON.stringify(join(PROJECT_ROOT, DECLARE_ENTRY))};\n`,
);

let assemblies: Assemblies;
beforeAll(async () => {
  assemblies = await synthesizeAssemblies([DEFAULTS, EVERY_OPTION], { alsoBundle: [PLANTED_ENTRY] });
}, 300_000);
afterAll(() => {
  assemblies?.dispose();
  rmSync(plantDir, { recursive: true, force: true });
});

const stackOf = (name: string): Assembly => {
  const found = assemblies.stacks.find((s) => s.stackName === name);
  if (!found) throw new Error(`no stack ${name}`);
  return found;
};

describe('the Node the suite runs on', () => {
  const runtimeMajor = () => {
    const runtimes = new Set(
      assemblies.stacks.flatMap((s) =>
        Object.values(s.template.Resources)
          .filter((r) => r.Type === 'AWS::Lambda::Function')
          .map((r) => String(r.Properties.Runtime)),
      ),
    );
    expect([...runtimes]).toHaveLength(1);
    return /^nodejs(\d+)\.x$/.exec([...runtimes][0])?.[1];
  };

  it('is the major version of the Lambda runtime the functions deploy to (`npm test` fetches it)', () => {
    expect(
      process.versions.node.split('.')[0],
      `the bundles run on ${runtimeMajor()}; run the suite with \`npm test\` or \`npm run test:deployed\``,
    ).toBe(runtimeMajor());
  });

  it('is pinned in package.json on that same major', () => {
    const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8'));
    expect(String(pkg.config.lambdaNode).split('.')[0]).toBe(runtimeMajor());
    expect(pkg.engines.node).toBe(`>=${runtimeMajor()}`);
  });
});

describe('the bundles', () => {
  it("are byte for byte what the stack's NodejsFunction builds (the approval function, bundled by CDK)", () => {
    // The CDK assembly sits at the same depth as the test's, so the source maps' relative paths agree.
    const app = new App({
      context: cdkContext(),
      outdir: join(assemblies.outdir, 'cdk-check'),
      builtinCloudFormationValidation: false,
    });
    const stack = new Stack(app, 'BundleCheck');
    new FirebreakFunction(stack, 'Approve', {
      entry: APPROVAL_ENTRY,
      serviceName: 'bundle-check',
      description: 'bundle check',
      timeoutSeconds: 10,
      memoryMb: 128,
      logRetention: RetentionDays.ONE_WEEK,
    });
    const cloud = app.synth();
    const fn = Object.values<{ Type: string; Properties: { Code: { S3Key: string } } }>(
      cloud.getStackByName('BundleCheck').template.Resources,
    ).find((r) => r.Type === 'AWS::Lambda::Function');
    const cdkDir = join(cloud.directory, `asset.${fn?.Properties.Code.S3Key.replace(/\.zip$/, '')}`);
    const stack0 = assemblies.stacks[0];
    const id = [...stack0.entries].find(([, entry]) => entry === APPROVAL_ENTRY)?.[0];
    const ours = stack0.codeDirs.get(id ?? '') ?? '';
    const files = readdirSync(cdkDir).sort();
    expect(readdirSync(ours).sort()).toEqual(files);
    for (const file of files) {
      expect(readFileSync(join(ours, file)).equals(readFileSync(join(cdkDir, file))), file).toBe(true);
    }
  }, 120_000);
});

/**
 * Every function's init phase: import the asset, find the handler, with the template's environment.
 * All at once: each is its own worker thread, so two cores load two at a time.
 */
async function loadFailures(deployed: Deployed, only?: string[]): Promise<string[]> {
  const functions = deployed.functions.filter((fn) => !only || only.includes(fn.logicalId));
  const failures = await Promise.all(
    functions.map((fn) =>
      deployed.load(fn).then(
        () => undefined,
        (err: Error) => `${fn.logicalId}: ${err.name}: ${err.message}`,
      ),
    ),
  );
  return failures.filter((f) => f !== undefined);
}

describe.each([
  ['the default configuration', DEFAULTS.stackName],
  ['every option on', EVERY_OPTION.stackName],
])('the deployed artifacts, %s', (_, stackName) => {
  let deployed: Deployed;
  beforeAll(async () => {
    deployed = await startDeployed(stackOf(stackName));
  });
  // One configuration's execution environments at a time: each holds its bundle and the SDK.
  afterAll(async () => deployed?.close());

  it('maps every Task of the rendered definition to a function on the Lambda runtime the bundles target', () => {
    const { tasks, unmapped } = deployed.taskFunctions(deployed.definition());
    expect(unmapped).toEqual([]);
    expect(tasks.size).toBeGreaterThan(10);
    for (const fn of deployed.functions) {
      expect(fn.runtime, fn.logicalId).toBe('nodejs22.x');
      expect(fn.handler, fn.logicalId).toBe('index.handler');
    }
  });

  it('loads every function from its asset under its handler name, with the environment the template gives it', async () => {
    expect(await loadFailures(deployed)).toEqual([]);
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
      expect.arrayContaining(['Triage', 'Declare', 'Investigate', 'CheckRecovery', 'Resolve', 'Postmortem']),
    );
    expect(incident?.status).toBe('RESOLVED');
    expect(incident?.postmortem).toBeTruthy();
    const topic = deployed.byService('firebreak-declare').environment.TOPIC_ARN;
    expect(published.length).toBeGreaterThan(0);
    expect(published.every((p) => p.topic === topic)).toBe(true);
    expect(published.map((p) => p.subject)).toEqual(
      expect.arrayContaining([expect.stringMatching(/DECLARED/), expect.stringMatching(/RESOLVED/)]),
    );
    // No function reached an AWS API the test does not serve (it would have been told so, by name).
    expect(deployed.calls.filter((c) => c.command === 'unexpected')).toEqual([]);
  }, 180_000);

  it('ends in RecordFailure when a dependency fails a phase: the failure recorded and on-call told', async () => {
    // CloudWatch refuses the alarm read: a recovery check cannot guess the alarm's state.
    deployed.setWorld({
      faults: {
        'cloudwatch:DescribeAlarmsCommand': {
          name: 'AccessDeniedException',
          message: 'User is not authorized to perform: cloudwatch:DescribeAlarms',
        },
      },
    });
    try {
      const before = deployed.invocations.length;
      const { run, incident, published } = await alertToIncident(
        deployed,
        scenarioAlert('ledger-api-read-only-after-failover.json'),
      );
      expect(run.status).toBe('FAILED');
      expect(run.states).toEqual(expect.arrayContaining(['CheckRecovery', 'RecordFailure']));
      expect(run.states.at(-1)).toBe('Failed');
      const recordFailure = deployed.byService('firebreak-record-failure').logicalId;
      const invoked = deployed.invocations.slice(before);
      expect(invoked.filter((i) => !i.ok).map((i) => i.function)).toEqual([
        deployed.byService('firebreak-check-recovery').logicalId,
      ]);
      expect(invoked.filter((i) => i.function === recordFailure && i.ok)).toHaveLength(1);
      expect(incident?.failure).toMatchObject({ error: 'AccessDeniedException' });
      expect(incident?.failure?.cause).toContain('cloudwatch:DescribeAlarms');
      expect(incident?.status).not.toBe('RESOLVED');
      expect(published.map((p) => p.subject)).toEqual(
        expect.arrayContaining([expect.stringMatching(/AUTOMATION STOPPED/)]),
      );
    } finally {
      deployed.setWorld({ faults: {} });
    }
  }, 180_000);
});

describe('a broken deployment fails the deployed-artifact test', () => {
  it('a bundle importing a package Lambda does not have fails its cold start, by name', async () => {
    const base = stackOf(DEFAULTS.stackName);
    const [declareId] = [...base.entries].find(([, entry]) => entry === DECLARE_ENTRY) ?? [];
    const planted = assemblies.bundled.get(PLANTED_ENTRY);
    expect(declareId && planted).toBeTruthy();
    const deployed = await startDeployed({
      ...base,
      codeDirs: new Map(base.codeDirs).set(declareId as string, planted as string),
    });
    try {
      expect(await loadFailures(deployed, [declareId as string])).toEqual([
        expect.stringMatching(new RegExp(`^${declareId}: Runtime.ImportModuleError: .*${PLANTED_MODULE}`)),
      ]);
    } finally {
      await deployed.close();
    }
  }, 120_000);

  it('a template that no longer gives the functions TOPIC_ARN fails the run, naming the variable', async () => {
    const base = stackOf(DEFAULTS.stackName);
    const template = structuredClone(base.template);
    const lambdas = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    // Every phase loses it; ingest keeps it, so the alert still starts the run the phases then fail
    // (ingest without it fails at once, naming it too: the next test).
    const phases = lambdas.filter(
      (r) =>
        r.Properties.Environment?.Variables?.TOPIC_ARN && !r.Properties.Environment.Variables.INGEST_OPTIONS,
    );
    expect(phases.length).toBeGreaterThan(10);
    for (const r of phases) delete r.Properties.Environment.Variables.TOPIC_ARN;
    const deployed = await startDeployed({ ...base, template });
    try {
      const { run, incident } = await alertToIncident(
        deployed,
        scenarioAlert('checkout-5xx-after-deploy.json'),
      );
      expect(run.status).toBe('FAILED');
      expect(incident?.status).not.toBe('RESOLVED');
      const failed = deployed.invocations.filter((i) => !i.ok);
      expect(failed.length).toBeGreaterThan(0);
      expect(failed.every((i) => i.error?.includes('TOPIC_ARN'))).toBe(true);
    } finally {
      await deployed.close();
    }
  }, 120_000);

  it('an ingest function without TOPIC_ARN refuses the alert, naming the variable', async () => {
    const base = stackOf(DEFAULTS.stackName);
    const template = structuredClone(base.template);
    const ingest = Object.values(template.Resources).filter(
      (r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Environment?.Variables?.INGEST_OPTIONS,
    );
    expect(ingest).toHaveLength(1);
    delete ingest[0].Properties.Environment.Variables.TOPIC_ARN;
    const deployed = await startDeployed({ ...base, template });
    try {
      await expect(
        alertToIncident(deployed, scenarioAlert('checkout-5xx-after-deploy.json')),
      ).rejects.toThrow(/TOPIC_ARN/);
    } finally {
      await deployed.close();
    }
  }, 120_000);
});
