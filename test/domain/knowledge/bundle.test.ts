/**
 * The library reaches the Lambdas as data bundled by esbuild (static JSON imports), not as files
 * read at run time: builtin.ts bundled as the stack bundles it still yields every entry.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUILTIN_KNOWLEDGE } from '../../../domain/knowledge/builtin.js';
import { PROJECT_ROOT } from '../../../lib/bundling.js';
import { importBundled } from '../../lib/bundle-like-lambda.js';

const dir = mkdtempSync(join(tmpdir(), 'firebreak-knowledge-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('built-in knowledge, bundled by esbuild', () => {
  it('still yields every entry from an ESM bundle outside the repository', async () => {
    const outfile = join(dir, 'knowledge.mjs');
    const mod = await importBundled<{ BUILTIN_KNOWLEDGE: typeof BUILTIN_KNOWLEDGE }>(
      join(PROJECT_ROOT, 'domain', 'knowledge', 'index.ts'),
      outfile,
    );
    expect(mod.BUILTIN_KNOWLEDGE.length).toBe(BUILTIN_KNOWLEDGE.length);
    expect(mod.BUILTIN_KNOWLEDGE.map((e) => e.id)).toEqual(BUILTIN_KNOWLEDGE.map((e) => e.id));
  }, 60_000);
});
