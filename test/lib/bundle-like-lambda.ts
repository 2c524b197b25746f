/**
 * Bundles one entry with the esbuild settings the stack gives every Lambda (target, minification,
 * kept names, external SDK) and imports the result: what a module looks like once deployed.
 */
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { LAMBDA_BUNDLING } from '../../lib/bundling.js';

export async function importBundled<T>(entry: string, outfile: string): Promise<T> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: LAMBDA_BUNDLING.target,
    minify: LAMBDA_BUNDLING.minify,
    keepNames: LAMBDA_BUNDLING.keepNames,
    external: LAMBDA_BUNDLING.externalModules,
    logLevel: 'silent',
  });
  return (await import(pathToFileURL(outfile).href)) as T;
}
