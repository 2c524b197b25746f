/**
 * Step Functions matches Retry and Catch on the error's name, which the Lambda runtime takes from
 * `error.name`. Bundled with the stack's own esbuild settings, every typed error keeps its name.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../lib/bundling.js';
import { importBundled } from './bundle-like-lambda.js';

const dir = mkdtempSync(join(tmpdir(), 'firebreak-error-names-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ERRORS: Array<[string, string]> = [
  ['domain/errors.ts', 'TransientError'],
  ['domain/errors.ts', 'ValidationError'],
  ['domain/errors.ts', 'NotFoundError'],
  ['domain/errors.ts', 'ConflictError'],
  ['domain/errors.ts', 'ApprovalRejected'],
  ['domain/approval/approval.ts', 'ApprovalRefused'],
  ['domain/analyst/claude/errors.ts', 'ModelStepError'],
];

describe('typed errors, bundled as the stack bundles them', () => {
  it('keep their names through minification', async () => {
    const entry = join(dir, 'entry.ts');
    writeFileSync(
      entry,
      ERRORS.map(
        ([file, name]) => `export { ${name} } from ${JSON.stringify(join(PROJECT_ROOT, file))};`,
      ).join('\n'),
    );
    const outfile = join(dir, 'out.mjs');
    const mod = await importBundled<Record<string, new (...a: unknown[]) => Error>>(entry, outfile);
    for (const [, name] of ERRORS) {
      const err =
        name === 'ApprovalRefused' || name === 'ModelStepError'
          ? new mod[name]('none', 'x')
          : new mod[name]('x');
      expect(err.name).toBe(name);
    }
  }, 60_000);
});
