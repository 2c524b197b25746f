/**
 * One Lambda bundled for real, the way `cdk synth` bundles all of them: local esbuild (no Docker),
 * ESM with a `require` shim, minified, source map in its own file.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { ESM_REQUIRE_BANNER, LAMBDA_BUNDLING, phaseEntry } from '../../lib/bundling.js';
import { FirebreakFunction } from '../../lib/function.js';
import { cdkContext } from './synth.js';

const outdir = mkdtempSync(join(tmpdir(), 'firebreak-bundle-test-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('Lambda bundling', () => {
  it('never asks for Docker', () => {
    expect(LAMBDA_BUNDLING.forceDockerBundling).toBe(false);
  });

  it('bundles a phase with the local esbuild into a minified ESM file and a separate source map', () => {
    const app = new App({ context: cdkContext(), outdir, builtinCloudFormationValidation: false });
    const stack = new Stack(app, 'Bundle');
    new FirebreakFunction(stack, 'Declare', {
      entry: phaseEntry('DeclareFunctionArn'),
      serviceName: 'firebreak-declare',
      description: 'bundling test',
      timeoutSeconds: 30,
      memoryMb: 256,
      logRetention: 7,
    });
    app.synth();
    // The staged asset: the only directory the assembly holds with a bundle in it.
    const assets = readdirSync(outdir).filter(
      (d) => d.startsWith('asset.') && existsSync(join(outdir, d, 'index.mjs')),
    );
    expect(assets).toHaveLength(1);
    const assetDir = join(outdir, assets[0]);
    const code = readFileSync(join(assetDir, 'index.mjs'), 'utf8');
    expect(code.startsWith(ESM_REQUIRE_BANNER)).toBe(true);
    expect(/export\s*\{[^}]*as handler\s*\}/.test(code)).toBe(true);
    expect(code.trimEnd().endsWith('//# sourceMappingURL=index.mjs.map')).toBe(true);
    expect(existsSync(join(assetDir, 'index.mjs.map'))).toBe(true);
    // Minified: very long lines (only multi-line string literals keep their newlines); source is ~40.
    expect(code.length / code.split('\n').length).toBeGreaterThan(1000);
    expect(statSync(join(assetDir, 'index.mjs')).size).toBeGreaterThan(10_000);
  }, 120_000);
});
