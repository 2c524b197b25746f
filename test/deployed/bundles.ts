/**
 * The Lambda bundles, built the way the stack's NodejsFunction builds them but in one esbuild call:
 * every distinct entry of the synthesized stacks at once, so the dependencies all phases share (the
 * Anthropic SDK, zod, Powertools, middy) are parsed once instead of once per function. CDK runs
 * esbuild's CLI once per function, one after another (~1.2 s of CPU each, ~23 s for 19); the single
 * build takes ~6.5 s. esbuild's output for an entry does not depend on the other entries of the
 * build (without code splitting), and `deployed-artifacts.test.ts` checks one bundle byte for byte
 * against the one CDK builds.
 */
import { join, resolve } from 'node:path';
import { type BundlingOptions, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { type BuildOptions, build } from 'esbuild';
import { LAMBDA_BUNDLING, PROJECT_ROOT } from '../../lib/bundling.js';

/** The settings translated below; any other one set in lib/bundling.ts fails the test, never silently. */
const TRANSLATED = new Set([
  'forceDockerBundling',
  'format',
  'target',
  'minify',
  'keepNames',
  'sourceMap',
  'sourceMapMode',
  'sourcesContent',
  'banner',
  'footer',
  'mainFields',
  'externalModules',
  'define',
  'loader',
  'esbuildArgs',
]);

/** esbuild CLI flags NodejsFunction passes through `esbuildArgs`, as API options. */
const ESBUILD_ARGS: Record<string, (value: string | boolean | string[]) => BuildOptions> = {
  '--charset': (value) => ({ charset: value as BuildOptions['charset'] }),
};

export interface LambdaBuild {
  options: BuildOptions;
  /** The file NodejsFunction writes, and the template's handler names: index.mjs for ESM. */
  file: string;
}

/**
 * What NodejsFunction hands esbuild for these bundling props (aws-lambda-nodejs Bundling's
 * `--bundle --platform=node` plus one flag per prop), as API options.
 */
export function lambdaBuild(props: BundlingOptions = LAMBDA_BUNDLING): LambdaBuild {
  const unknown = Object.keys(props).filter((k) => !TRANSLATED.has(k));
  if (unknown.length) {
    throw new Error(
      `lib/bundling.ts sets ${unknown.join(', ')}: teach test/deployed/bundles.ts what esbuild gets`,
    );
  }
  if (props.forceDockerBundling)
    throw new Error('Docker bundling is not reproduced by the deployed-artifact test');
  if (!props.target) throw new Error('lib/bundling.ts must name the esbuild target');
  const mode = props.sourceMapMode ?? SourceMapMode.DEFAULT;
  const modes = {
    [SourceMapMode.DEFAULT]: 'linked',
    [SourceMapMode.EXTERNAL]: 'external',
    [SourceMapMode.INLINE]: 'inline',
    [SourceMapMode.BOTH]: 'both',
  } as const;
  // NodejsFunction: a mode turns maps on; `--sourcemap` alone is esbuild's linked map.
  const sourcemap = props.sourceMapMode !== undefined || props.sourceMap === true ? modes[mode] : false;
  const extra: BuildOptions = {};
  for (const [flag, value] of Object.entries(props.esbuildArgs ?? {})) {
    const translate = ESBUILD_ARGS[flag];
    if (!translate) throw new Error(`lib/bundling.ts passes esbuild ${flag}: teach test/deployed/bundles.ts`);
    Object.assign(extra, translate(value));
  }
  const esm = props.format === OutputFormat.ESM;
  return {
    file: esm ? 'index.mjs' : 'index.js',
    options: {
      bundle: true,
      platform: 'node',
      format: esm ? 'esm' : 'cjs',
      target: props.target,
      minify: props.minify ?? false,
      keepNames: props.keepNames ?? false,
      sourcemap,
      sourcesContent: props.sourcesContent ?? true,
      external: props.externalModules ?? [],
      ...(props.banner ? { banner: { js: props.banner } } : {}),
      ...(props.footer ? { footer: { js: props.footer } } : {}),
      ...(props.mainFields ? { mainFields: props.mainFields } : {}),
      ...(props.define ? { define: props.define } : {}),
      ...(props.loader ? { loader: props.loader as BuildOptions['loader'] } : {}),
      ...extra,
    },
  };
}

/** A folder name for an entry: `lambdas/declare/handler.ts` → `lambdas-declare-handler`. */
const folderOf = (entry: string) => entry.replace(/\.[cm]?[jt]s$/, '').replace(/[^A-Za-z0-9_-]+/g, '-');

/**
 * Bundles every entry (paths from the project root, or absolute) into `<outRoot>/asset.<entry>/`,
 * one folder per entry as a Lambda asset, in one build. Returns entry → folder.
 */
export async function bundleEntries(entries: string[], outRoot: string): Promise<Map<string, string>> {
  const { options, file } = lambdaBuild();
  const distinct = [...new Set(entries)];
  const dirs = new Map(distinct.map((entry) => [entry, join(outRoot, `asset.${folderOf(entry)}`)]));
  await build({
    ...options,
    absWorkingDir: PROJECT_ROOT,
    entryPoints: distinct.map((entry) => ({
      in: resolve(PROJECT_ROOT, entry),
      out: join(`asset.${folderOf(entry)}`, file.replace(/\.[cm]?js$/, '')),
    })),
    outdir: outRoot,
    outExtension: { '.js': file.slice(file.indexOf('.')) },
    logLevel: 'silent',
  });
  return dirs;
}
