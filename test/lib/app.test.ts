/** The CDK app entry point refuses a bad configuration file before synthesizing anything. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../lib/bundling.js';

const dir = mkdtempSync(join(tmpdir(), 'firebreak-app-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bin/app.ts', () => {
  it('exits 1 naming the file and every problem, and writes no cloud assembly', () => {
    const config = join(dir, 'bad.json');
    writeFileSync(
      config,
      JSON.stringify({
        subscribers: { executives: [{ email: 'cto@example.com', severities: ['SEV4'] }] },
        colour: 1,
      }),
    );
    const outdir = join(dir, 'cdk.out');
    const run = spawnSync(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'bin/app.ts')], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify({ config }) },
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`invalid Firebreak deploy configuration (${config}):`);
    expect(run.stderr).toMatch(/ {2}- \(root\): Unrecognized key: "colour"/);
    expect(existsSync(join(outdir, 'manifest.json'))).toBe(false);
  });
});
