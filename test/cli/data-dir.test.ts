/**
 * One owner per data folder, and the CLI's answers when the folder is busy, missing or unusable:
 * no command fails because another one is running, read-only commands never create a store, every
 * filesystem error is one line and exit 2, output cut off by `head` ends quietly, and the folder
 * is found from any subfolder of the one it is in.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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

describe('the data folder found the way git finds .git', () => {
  const { FIREBREAK_DATA_DIR: _unset, FORCE_COLOR: _f, NO_COLOR: _n, ...plainEnv } = env as NodeJS.ProcessEnv;
  const inFolder = (cwd: string, args: string[], extra: Record<string, string> = {}) => {
    const r = spawnSync(process.execPath, ['--no-warnings', BIN, ...args], {
      cwd,
      encoding: 'utf8',
      env: { ...plainEnv, ...extra },
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr.trim() };
  };
  const project = join(work, 'project');
  const deep = join(project, 'services', 'checkout');
  mkdirSync(deep, { recursive: true });

  it('a run makes ./.firebreak where there is none and says so; a subfolder finds it, not a new empty store', () => {
    const run = inFolder(project, ['run', SCENARIO, '--approve', 'auto'], { FORCE_COLOR: '1' });
    expect(run.code, run.stderr).toBe(0);
    const made = join(project, '.firebreak');
    expect(existsSync(join(made, 'db'))).toBe(true);
    expect(run.stderr.split('\n').at(-1)).toBe(
      `firebreak: made ${made}; commands run in ${project} or below use it`,
    );
    // Its progress was coloured, as FORCE_COLOR asked.
    expect(run.stderr).toContain('\u001b[36m▶\u001b[39m Triage');

    const list = inFolder(deep, ['incidents', 'list', '--json']);
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toHaveLength(1);
    expect(list.stderr).toBe(`firebreak: using ${made}`);
    expect(existsSync(join(deep, '.firebreak'))).toBe(false);
    // In the folder itself nothing needs saying.
    expect(inFolder(project, ['incidents', 'list', '--json']).stderr).toBe('');

    // --data-dir and FIREBREAK_DATA_DIR come first.
    const other = join(work, 'other-data');
    for (const r of [
      inFolder(deep, ['incidents', 'list', '--data-dir', other]),
      inFolder(deep, ['incidents', 'list'], { FIREBREAK_DATA_DIR: other }),
    ]) {
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`firebreak: no firebreak store in ${other} (nothing has run there yet)`);
    }
    expect(existsSync(other)).toBe(false);
  }, 120_000);

  // The walk goes up to the root: a .firebreak above the temporary folder would be found, rightly.
  const above = (dir: string): boolean =>
    existsSync(join(dir, '.firebreak')) || (dirname(dir) !== dir && above(dirname(dir)));
  it.skipIf(above(tmpdir()))(
    'with no .firebreak here or above, a read-only command says where it looked and makes nothing',
    () => {
      const nowhere = join(work, 'nowhere', 'sub');
      mkdirSync(nowhere, { recursive: true });
      for (const args of [['incidents', 'list'], ['report'], ['postmortem', 'inc-20261120-1030-aaaa']]) {
        const r = inFolder(nowhere, args);
        expect(r.code, args.join(' ')).toBe(2);
        expect(r.stderr).toBe(
          `firebreak: no .firebreak folder in ${nowhere} or any folder above it: nothing has run here yet (try: npm start), or name one with --data-dir or FIREBREAK_DATA_DIR`,
        );
      }
      expect(readdirSync(join(work, 'nowhere'))).toEqual(['sub']);
      expect(readdirSync(nowhere)).toEqual([]);
    },
    120_000,
  );
});
