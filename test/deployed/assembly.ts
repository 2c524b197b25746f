/**
 * The stacks synthesized as `cdk synth` does (cdk.json's context) into one cloud assembly, and each
 * function's code bundled as its NodejsFunction bundles it (bundles.ts), read back the way
 * CloudFormation and Lambda would see them: each function's template properties and code folder.
 *
 * Where the time went before (two stacks, CDK bundling on, on two cores): CDK ran esbuild once per
 * function, one after another, ~37 s of CPU for the synthesis; the synthesis alone takes ~2 s. So
 * CDK synthesizes with bundling skipped (the `aws:cdk:bundling-stacks` context, as test/lib does)
 * and the distinct entries of both stacks are bundled in one esbuild build (~6.5 s of CPU).
 */
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type CfnElement } from 'aws-cdk-lib';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { PROJECT_ROOT } from '../../lib/bundling.js';
import { parseDeployConfig } from '../../lib/config.js';
import { FirebreakStack } from '../../lib/firebreak-stack.js';
import { cdkContext } from '../lib/synth.js';
import { bundleEntries } from './bundles.js';

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON, read field by field
type Json = any;

export interface Assembly {
  stackName: string;
  template: { Resources: Record<string, { Type: string; Properties: Json }> };
  /** Function logical id → the folder holding its bundled code. */
  codeDirs: Map<string, string>;
  /** Function logical id → its entry file, relative to the project root. */
  entries: Map<string, string>;
}

export interface Assemblies {
  stacks: Assembly[];
  /** The folder the assembly and the bundles are in. */
  outdir: string;
  /** Every bundled entry → its folder, the `alsoBundle` entries included. */
  bundled: Map<string, string>;
  seconds: { synth: number; bundle: number };
  dispose(): void;
}

/**
 * NodejsFunction keeps its entry only in the bundling of its code asset (CDK's asset staging, not
 * public API; aws-cdk-lib is pinned). Anything else fails here by name rather than guessing.
 */
function entryOf(fn: NodejsFunction): string {
  const stage = fn.node.tryFindChild('Code')?.node.tryFindChild('Stage') as
    | { fingerprintOptions?: { bundling?: { relativeEntryPath?: unknown } } }
    | undefined;
  const entry = stage?.fingerprintOptions?.bundling?.relativeEntryPath;
  if (typeof entry !== 'string') {
    throw new Error(`${fn.node.path}: cannot read its entry from CDK's asset staging (aws-cdk-lib changed?)`);
  }
  return entry;
}

/**
 * Synthesizes one stack per configuration in one App, then bundles each distinct entry once for
 * all of them: a bundle depends on the entry and the bundling settings, never on the deploy
 * configuration. `alsoBundle` entries (absolute paths: the planted faults) join the same build.
 * CloudFormation schema validation is left to test/lib (app.test.ts).
 *
 * The folder gets a `node_modules` link to the project's: the bundles leave `@aws-sdk/*` external
 * because Lambda's runtime provides it, and here the same packages must resolve from the
 * folder's parents.
 */
export async function synthesizeAssemblies(
  rawConfigs: unknown[],
  opts: { alsoBundle?: string[] } = {},
): Promise<Assemblies> {
  const started = Date.now();
  const outdir = mkdtempSync(join(tmpdir(), 'firebreak-deployed-'));
  symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(outdir, 'node_modules'), 'dir');
  const app = new App({
    context: { ...cdkContext(), 'aws:cdk:bundling-stacks': [] },
    outdir: join(outdir, 'cdk.out'),
    builtinCloudFormationValidation: false,
  });
  const stacks = rawConfigs.map((raw) => {
    const config = parseDeployConfig(raw, 'deployed-artifact test');
    return new FirebreakStack(app, config.stackName, { config });
  });
  const cloud = app.synth();
  const synthesized = Date.now();
  const entries = stacks.map((stack) => {
    const byId = new Map<string, string>();
    for (const fn of stack.node.findAll().filter((c): c is NodejsFunction => c instanceof NodejsFunction)) {
      byId.set(stack.resolve((fn.node.defaultChild as CfnElement).logicalId), entryOf(fn));
    }
    return byId;
  });
  const dirs = await bundleEntries(
    [...entries.flatMap((e) => [...e.values()]), ...(opts.alsoBundle ?? [])],
    join(outdir, 'cdk.out'),
  );
  return {
    stacks: stacks.map((stack, i) => ({
      stackName: stack.stackName,
      template: cloud.getStackByName(stack.stackName).template,
      entries: entries[i],
      codeDirs: new Map([...entries[i]].map(([id, entry]) => [id, dirs.get(entry) as string])),
    })),
    outdir,
    bundled: dirs,
    seconds: { synth: (synthesized - started) / 1000, bundle: (Date.now() - synthesized) / 1000 },
    dispose: () => rmSync(outdir, { recursive: true, force: true }),
  };
}
