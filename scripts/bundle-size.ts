/**
 * `npm run bundle:size`: bundles every Lambda exactly as the stack does (lib/bundling.ts —
 * ESM, minified, tree-shaken, source maps in separate files) and prints each function's size as
 * JSON. Exits 1 when any bundle is over the limit: cold start grows with the code Lambda must load
 * and parse.
 *
 * Measured: phases ~0.92-0.95 MB, ingest ~0.31 MB, approval-api ~0.12 MB (AWS SDK left to the
 * runtime, zod imported as a namespace so its locales tree-shake). Every phase still carries the
 * Anthropic SDK (~0.4 MB) because all phases share one port wiring; `largestPackages` shows it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import {
  CHARSET,
  ESM_REQUIRE_BANNER,
  EXTERNAL_MODULES,
  lambdaEntries,
  NODE_TARGET,
  PROJECT_ROOT,
} from '../lib/bundling.js';

/** 1 MiB of minified JavaScript per function, source map excluded. */
export const LIMIT_BYTES = 1024 * 1024;

interface Size {
  name: string;
  entry: string;
  bytes: number;
  sourceMapBytes: number;
  /** The five largest contributors by package (or project folder), to know where to cut. */
  largestPackages: Array<{ name: string; bytes: number }>;
}

/** `node_modules/@scope/pkg/...` → `@scope/pkg`; project files → their top two folders. */
function packageOf(path: string): string {
  const parts = path.split('node_modules/');
  if (parts.length > 1) {
    const segments = (parts.at(-1) ?? '').split('/');
    return segments[0].startsWith('@') ? `${segments[0]}/${segments[1]}` : segments[0];
  }
  return path.split('/').slice(0, 3).join('/');
}

async function measure(name: string, entry: string, outdir: string): Promise<Size> {
  const outfile = join(outdir, name, 'index.mjs');
  const result = await build({
    absWorkingDir: PROJECT_ROOT,
    entryPoints: [join(PROJECT_ROOT, entry)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: NODE_TARGET,
    minify: true,
    treeShaking: true,
    sourcemap: 'linked',
    charset: CHARSET,
    banner: { js: ESM_REQUIRE_BANNER },
    mainFields: ['module', 'main'],
    external: EXTERNAL_MODULES,
    outfile,
    metafile: true,
    logLevel: 'error',
  });
  const outputs = result.metafile.outputs;
  const js = Object.entries(outputs).find(([path]) => path.endsWith('.mjs'));
  const map = Object.entries(outputs).find(([path]) => path.endsWith('.mjs.map'));
  if (!js) throw new Error(`${entry}: esbuild wrote no bundle`);
  const byPackage = new Map<string, number>();
  for (const [path, v] of Object.entries(js[1].inputs)) {
    const key = packageOf(path);
    byPackage.set(key, (byPackage.get(key) ?? 0) + v.bytesInOutput);
  }
  const largestPackages = [...byPackage]
    .map(([name, bytes]) => ({ name, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 5);
  return { name, entry, bytes: js[1].bytes, sourceMapBytes: map?.[1].bytes ?? 0, largestPackages };
}

const outdir = await mkdtemp(join(tmpdir(), 'firebreak-bundle-'));
try {
  const started = Date.now();
  const sizes = await Promise.all(lambdaEntries().map(({ name, entry }) => measure(name, entry, outdir)));
  sizes.sort((a, b) => b.bytes - a.bytes);
  const over = sizes.filter((s) => s.bytes > LIMIT_BYTES);
  process.stdout.write(
    `${JSON.stringify(
      {
        limitBytes: LIMIT_BYTES,
        functions: sizes,
        largest: sizes[0] ? { name: sizes[0].name, bytes: sizes[0].bytes } : null,
        overLimit: over.map((s) => s.name),
        ok: over.length === 0,
        seconds: Math.round((Date.now() - started) / 100) / 10,
      },
      null,
      2,
    )}\n`,
  );
  if (over.length) process.exitCode = 1;
} finally {
  await rm(outdir, { recursive: true, force: true });
}
