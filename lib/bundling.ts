/**
 * How every Lambda is bundled, in one place: the stack's NodejsFunction and `npm run bundle:size`
 * read the same settings, so the size the script reports is the size that deploys.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BundlingOptions, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { PHASES, type PhaseKey } from '../lambdas/phases.js';

export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Lambda's Node.js 22 runtime; the bundle targets exactly it. */
export const NODE_TARGET = 'node22';

/**
 * ESM bundles cannot call `require`, which some CommonJS dependencies (the X-Ray SDK) still do;
 * the banner gives them one.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __firebreakCreateRequire } from 'node:module'; const require = __firebreakCreateRequire(import.meta.url);";

/**
 * The AWS SDK v3 comes with Lambda's Node.js runtime, so it is left out of the bundles (CDK's own
 * default for Node 18+): every phase wires the same ports, and with the SDK inside each bundle
 * passed 1 MiB (~1.7 MB), which costs every cold start. The price: in Lambda the SDK version is the
 * runtime's, not the lockfile's; Firebreak calls only long-stable APIs of it.
 */
export const EXTERNAL_MODULES: string[] = ['@aws-sdk/*'];

/**
 * Output as UTF-8 rather than \u-escaped ASCII: dependencies carry many non-ASCII strings (zod's
 * locale messages), which escaping roughly triples. Node reads UTF-8 sources natively.
 * CDK's `charset` prop is not forwarded to esbuild, so it is passed as an argument.
 */
export const CHARSET = 'utf8';

export const LAMBDA_BUNDLING: BundlingOptions = {
  forceDockerBundling: false,
  format: OutputFormat.ESM,
  target: NODE_TARGET,
  minify: true,
  // Error names are the errorType Step Functions matches in Retry and Catch: minified class names
  // ("s") would match nothing. The error classes also state their names as literals.
  keepNames: true,
  // A separate .map file plus the sourceMappingURL comment (esbuild "linked"): the code stays small
  // and NODE_OPTIONS=--enable-source-maps can still find the map for readable stack traces.
  sourceMap: true,
  sourceMapMode: SourceMapMode.DEFAULT,
  banner: ESM_REQUIRE_BANNER,
  // ESM entry points first, so packages that ship both are tree-shaken as modules.
  mainFields: ['module', 'main'],
  externalModules: EXTERNAL_MODULES,
  esbuildArgs: { '--charset': CHARSET },
};

/** A function's entry file, relative to the project root. */
export interface LambdaEntry {
  name: string;
  entry: string;
}

export const phaseEntry = (key: PhaseKey): string => join('lambdas', PHASES[key].dir, 'handler.ts');

/** Written by the ingestion work (issue 4); the stack takes the path as a prop. */
export const INGEST_ENTRY = join('lambdas', 'ingest', 'handler.ts');
/** Written by the approval work (issue 6); the stack takes the path as a prop. */
export const APPROVAL_ENTRY = join('lambdas', 'approval-api', 'handler.ts');

/** The web console's function (lambdas/console-api), deployed when the configuration has `console`. */
export const CONSOLE_ENTRY = join('lambdas', 'console-api', 'handler.ts');

/** Every Lambda the stack deploys whose entry exists in this checkout. */
export function lambdaEntries(root = PROJECT_ROOT): LambdaEntry[] {
  const entries: LambdaEntry[] = (Object.keys(PHASES) as PhaseKey[]).map((key) => ({
    name: PHASES[key].dir,
    entry: phaseEntry(key),
  }));
  for (const [name, entry] of [
    ['ingest', INGEST_ENTRY],
    ['approval-api', APPROVAL_ENTRY],
    ['console-api', CONSOLE_ENTRY],
  ] as const) {
    if (existsSync(join(root, entry))) entries.push({ name, entry });
  }
  return entries;
}
