/**
 * The stack synthesized exactly as `cdk synth` does, assets bundled by esbuild into a cloud assembly
 * in a temporary folder, and read back the way CloudFormation and Lambda would see it: each
 * function's handler, environment and code folder, and the state machine's definition with its
 * substitutions resolved.
 */
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { PROJECT_ROOT } from '../../lib/stack/bundling.js';
import { parseDeployConfig } from '../../lib/stack/config.js';
import { FirebreakStack } from '../../lib/stack/firebreak-stack.js';
import { cdkContext } from '../stack/synth.js';

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON, read field by field
type Json = any;

export interface Assembly {
  outdir: string;
  stackName: string;
  template: { Resources: Record<string, { Type: string; Properties: Json }> };
  /** Asset hash → folder holding the staged (bundled) code. */
  assetDirs: Map<string, string>;
  synthSeconds: number;
  dispose(): void;
}

/**
 * Synthesizes with bundling on (cdk.json's context, no bundling-stacks override). The folder gets a
 * `node_modules` link to the project's: the bundles leave `@aws-sdk/*` external because Lambda's
 * runtime provides it, and here the same packages must resolve from the folder's parents.
 */
export function synthesizeAssembly(rawConfig: unknown): Assembly {
  const started = Date.now();
  const outdir = mkdtempSync(join(tmpdir(), 'firebreak-deployed-'));
  symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(outdir, 'node_modules'), 'dir');
  const app = new App({ context: cdkContext(), outdir: join(outdir, 'cdk.out') });
  const config = parseDeployConfig(rawConfig, 'deployed-artifact test');
  new FirebreakStack(app, config.stackName, { config });
  const cloud = app.synth();
  const artifact = cloud.getStackByName(config.stackName);
  const assets = JSON.parse(readFileSync(join(cloud.directory, `${artifact.stackName}.assets.json`), 'utf8'));
  const assetDirs = new Map<string, string>();
  for (const [hash, file] of Object.entries<Json>(assets.files ?? {})) {
    if (file.source.packaging === 'zip') assetDirs.set(hash, join(cloud.directory, file.source.path));
  }
  return {
    outdir,
    stackName: artifact.stackName,
    template: artifact.template,
    assetDirs,
    synthSeconds: (Date.now() - started) / 1000,
    dispose: () => rmSync(outdir, { recursive: true, force: true }),
  };
}
