/**
 * The stack synthesized exactly as `cdk synth` does, assets bundled by esbuild into a cloud assembly
 * in a temporary folder, and read back the way CloudFormation and Lambda would see it: each
 * function's handler, environment and code folder, and the state machine's definition.
 */
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { PROJECT_ROOT } from '../../lib/bundling.js';
import { parseDeployConfig } from '../../lib/config.js';
import { FirebreakStack } from '../../lib/firebreak-stack.js';
import { cdkContext } from '../lib/synth.js';

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON, read field by field
type Json = any;

export interface Assembly {
  stackName: string;
  template: { Resources: Record<string, { Type: string; Properties: Json }> };
  /** Asset hash → folder holding the staged (bundled) code. */
  assetDirs: Map<string, string>;
}

export interface Assemblies {
  stacks: Assembly[];
  synthSeconds: number;
  dispose(): void;
}

/**
 * Synthesizes one stack per configuration into one cloud assembly, with bundling on (cdk.json's
 * context, no bundling-stacks override). The configurations share one App so CDK's asset cache
 * bundles each function once: a bundle depends on the code and the bundling options, never on the
 * deploy configuration, and bundling is what costs (about 2 s a function on two cores).
 * CloudFormation schema validation is left to test/lib (app.test.ts).
 *
 * The folder gets a `node_modules` link to the project's: the bundles leave `@aws-sdk/*` external
 * because Lambda's runtime provides it, and here the same packages must resolve from the
 * folder's parents.
 */
export function synthesizeAssemblies(rawConfigs: unknown[]): Assemblies {
  const started = Date.now();
  const outdir = mkdtempSync(join(tmpdir(), 'firebreak-deployed-'));
  symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(outdir, 'node_modules'), 'dir');
  const app = new App({
    context: cdkContext(),
    outdir: join(outdir, 'cdk.out'),
    builtinCloudFormationValidation: false,
  });
  const names = rawConfigs.map((raw) => {
    const config = parseDeployConfig(raw, 'deployed-artifact test');
    new FirebreakStack(app, config.stackName, { config });
    return config.stackName;
  });
  const cloud = app.synth();
  const stacks = names.map((name): Assembly => {
    const artifact = cloud.getStackByName(name);
    const assets = JSON.parse(readFileSync(join(cloud.directory, `${name}.assets.json`), 'utf8'));
    const assetDirs = new Map<string, string>();
    for (const [hash, file] of Object.entries<Json>(assets.files ?? {})) {
      if (file.source.packaging === 'zip') assetDirs.set(hash, join(cloud.directory, file.source.path));
    }
    return { stackName: name, template: artifact.template, assetDirs };
  });
  return {
    stacks,
    synthSeconds: (Date.now() - started) / 1000,
    dispose: () => rmSync(outdir, { recursive: true, force: true }),
  };
}
