/**
 * One owner per data folder, and the CLI's answers when the folder is busy, missing or unusable:
 * no command fails because another one is running, read-only commands never create a store, every
 * filesystem error is one line and exit 2, and output cut off by `head` ends quietly.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DynamoIncidentStore } from '../../adapters/aws/store/dynamo-store.js';
import { openDataStore, ownerFile } from '../../adapters/embedded/dynamodb.js';
import { anIncident } from '../support/incidents.js';

const BIN = fileURLToPath(new URL('../../bin/firebreak.js', import.meta.url));
const SCENARIO = fileURLToPath(
  new URL('../../examples/scenarios/checkout-5xx-after-deploy.json', import.meta.url),
);
const work = mkdtempSync(join(tmpdir(), 'firebreak-data-'));
const env = { ...process.env, NODE_NO_WARNINGS: '1', ANTHROPIC_API_KEY: '' };
let n = 0;
const freshDir = () => join(work, `data-${++n}`);

function firebreak(args: string[]) {
  const r = spawnSync(process.execPath, ['--no-warnings', BIN, ...args], { encoding: 'utf8', env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.trim() };
}

/** The same without blocking this process, which may be the one serving the store. */
function firebreakAsync(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--no-warnings', BIN, ...args], { env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => {
    stdout += c;
  });
  child.stderr.on('data', (c) => {
    stderr += c;
  });
  return new Promise((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr: stderr.trim() })),
  );
}

const opened: Array<{ close(): Promise<void> }> = [];
afterAll(async () => {
  for (const db of opened) await db.close();
});

describe('one owner per data folder', () => {
  it('the first opener serves the store; the second talks to it and sees the same data', async () => {
    const dir = freshDir();
    const a = await openDataStore(dir);
    opened.push(a);
    const b = await openDataStore(dir);
    opened.push(b);
    expect(a.owner()).toBe(true);
    expect(b.owner()).toBe(false);
    expect(b.endpoint).toBe(a.endpoint);
    expect(existsSync(ownerFile(dir))).toBe(true);
    const storeA = new DynamoIncidentStore(a.doc, a.tableName);
    const storeB = new DynamoIncidentStore(b.doc, b.tableName);
    await storeA.create(anIncident({ id: 'inc-owner-1', title: 't', detectedAt: new Date().toISOString() }));
    expect((await storeB.get('inc-owner-1'))?.title).toBe('t');

    // The owner leaves while the other still works: the other takes the store over.
    await a.close();
    expect((await storeB.get('inc-owner-1'))?.title).toBe('t');
    expect(b.owner()).toBe(true);
  });

  it('`incidents list` and a second `run` work while another process holds the folder', async () => {
    const dir = freshDir();
    const holder = await openDataStore(dir);
    opened.push(holder);
    const [run, busy] = await Promise.all([
      firebreakAsync(['run', SCENARIO, '--approve', 'auto', '--json', '--data-dir', dir]),
      firebreakAsync(['incidents', 'list', '--data-dir', dir]),
    ]);
    expect(busy.code).toBe(0);
    expect(run.stderr).not.toMatch(/Database is closed|LOCK|at /);
    expect(run.code).toBe(0);
    const list = await firebreakAsync(['incidents', 'list', '--json', '--data-dir', dir]);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toHaveLength(1);
    expect(holder.owner()).toBe(true);
  }, 120_000);
});

describe('the data folder on the command line', () => {
  it('a read-only command on a folder with no store: one line, exit 2, nothing created', () => {
    const dir = join(work, 'typo-dir');
    for (const args of [['incidents', 'list'], ['incidents', 'show', 'inc-x'], ['report']]) {
      const r = firebreak([...args, '--data-dir', dir]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^firebreak: no firebreak store in .*typo-dir/);
      expect(r.stderr.split('\n')).toHaveLength(1);
    }
    expect(existsSync(dir)).toBe(false);
  });

  const oneLine = (dataDir: string, code: RegExp) => {
    const r = firebreak(['run', SCENARIO, '--approve', 'auto', '--data-dir', dataDir]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(code);
  };

  it('a file where the folder should be: one line, exit 2', () => {
    const path = join(work, `file-${++n}`);
    writeFileSync(path, 'not a folder');
    oneLine(join(path, 'data'), /^firebreak: cannot use .*: (ENOTDIR|EEXIST)/);
  });

  // root ignores permission bits, so this one only means something for other users.
  it.skipIf(process.getuid?.() === 0)('a folder without permission: one line, exit 2', () => {
    const path = join(work, `locked-${++n}`);
    mkdirSync(path, { mode: 0o500 });
    oneLine(join(path, 'data'), /^firebreak: cannot use .*: EACCES/);
  });

  it('output cut off by `head`: no stack trace, and the run still completes its incident', async () => {
    const dir = freshDir();
    const child = spawn(
      process.execPath,
      ['--no-warnings', BIN, 'run', SCENARIO, '--approve', 'auto', '--data-dir', dir],
      {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (c) => {
      stderr += c;
      // Progress goes to stderr: close it after the first lines, as `2>&1 | head -2` would.
      if (stderr.split('\n').length > 2) child.stderr.destroy();
    });
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(stderr).not.toMatch(/EPIPE|at .*\.js/);
    const list = firebreak(['incidents', 'list', '--json', '--data-dir', dir]);
    const [incident] = JSON.parse(list.stdout);
    expect(['RESOLVED', 'MITIGATED', 'ACTIVE']).toContain(incident.status);
    expect(incident.status).toBe('RESOLVED');
  }, 120_000);
});
