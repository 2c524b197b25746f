/**
 * The conventions of a command-line tool, through the real `firebreak`: --version, a fast --help
 * that loads no command, colour only where it belongs, a header row, every enum option checked
 * before anything runs, and help that states each default once.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { Command, type Option } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoIncidentStore } from '../../adapters/aws/store/dynamo-store.js';
import { openDataStore } from '../../adapters/embedded/dynamodb.js';
import { registerApprove } from '../../bin/commands/approve.js';
import { registerEval } from '../../bin/commands/eval.js';
import { registerExport } from '../../bin/commands/export.js';
import { registerGraph } from '../../bin/commands/graph.js';
import { registerIncidents } from '../../bin/commands/incidents.js';
import { registerIngest } from '../../bin/commands/ingest.js';
import { registerPostmortem } from '../../bin/commands/postmortem.js';
import { registerReject } from '../../bin/commands/reject.js';
import { registerReport } from '../../bin/commands/report.js';
import { registerReview } from '../../bin/commands/review.js';
import { registerRun } from '../../bin/commands/run.js';
import { registerServe } from '../../bin/commands/serve.js';
import { registerStart } from '../../bin/commands/start.js';
import type { Incident } from '../../domain/model.js';

const BIN = fileURLToPath(new URL('../../bin/firebreak.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'firebreak-conventions-'));
// Colour is decided by these alone in each test: whatever the shell running vitest has set is cleared.
const { NO_COLOR: _n, FORCE_COLOR: _f, FIREBREAK_DATA_DIR: _d, ...baseEnv } = process.env;
const ESC = '\u001b[';

function firebreak(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['--no-warnings', BIN, ...args], {
    encoding: 'utf8',
    env: { ...baseEnv, NODE_NO_WARNINGS: '1', ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.trim() };
}

function firebreakAsync(args: string[]): Promise<{ code: number | null; stderr: string }> {
  // A refusal that did not happen would leave `serve` listening: the timeout ends it.
  const child = spawn(process.execPath, ['--no-warnings', BIN, ...args], {
    env: { ...baseEnv, NODE_NO_WARNINGS: '1' },
    timeout: 90_000,
  });
  let stderr = '';
  child.stderr.on('data', (c) => {
    stderr += c;
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr: stderr.trim() })));
}

/** The same on a terminal: `script` gives the command a pseudo-terminal for stdout and stderr. */
function onTerminal(args: string[], env: Record<string, string> = {}) {
  const command = [process.execPath, '--no-warnings', BIN, ...args].map((a) => `'${a}'`).join(' ');
  const r = spawnSync('script', ['-qec', command, '/dev/null'], {
    encoding: 'utf8',
    env: { ...baseEnv, NODE_NO_WARNINGS: '1', TERM: 'xterm', ...env },
  });
  return { code: r.status, output: r.stdout };
}
const hasScript = spawnSync('script', ['--version']).status === 0;

describe('--version and --help', () => {
  it('--version prints the version in package.json', () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    for (const flag of ['--version', '-V']) {
      const r = firebreak([flag]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`${version}\n`);
    }
  });

  it('--help loads no command: not tsx, not the AWS SDK, dynalite, the analyst or the ASL engine', () => {
    // A resolve hook that reports every module the process loads.
    const hook = `data:text/javascript,${encodeURIComponent(
      'export async function resolve(s, c, next) { const r = await next(s, c); process._rawDebug("loaded " + r.url); return r; }',
    )}`;
    const register = `data:text/javascript,${encodeURIComponent(
      `import { register } from 'node:module'; register(${JSON.stringify(hook)});`,
    )}`;
    const r = spawnSync(process.execPath, ['--no-warnings', '--import', register, BIN, '--help'], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    const loaded = r.stderr.split('\n').filter((l) => l.startsWith('loaded '));
    expect(loaded.some((l) => l.includes('/commander/'))).toBe(true);
    expect(
      loaded.filter((l) => /tsx|@aws-sdk|dynalite|aws-local-stepfunctions|\/bin\/commands\//.test(l)),
    ).toEqual([]);
    expect(r.stdout).toMatch(/^ {2}run \[options\] <file> {2,}run one incident end to end/m);
  });

  it('the top-level help describes each command as its module does', () => {
    // Every command fully registered, in this process: what `firebreak <command> --help` is built from.
    const full = fullProgram();
    const section = (help: string) => help.slice(help.indexOf('Commands:'));
    expect(section(firebreak(['--help']).stdout)).toBe(section(full.helpInformation()));
  });

  it('no option states its default twice', () => {
    const full = fullProgram();
    const twice: string[] = [];
    const visit = (cmd: Command) => {
      for (const o of cmd.options as Option[]) {
        if (o.defaultValue !== undefined && /default/i.test(o.description))
          twice.push(`${cmd.name()} ${o.flags}`);
      }
      for (const sub of cmd.commands) visit(sub);
    };
    visit(full);
    expect(twice).toEqual([]);
    // As printed: one `default:` per option of `run`, which had two for --analyst.
    const help = firebreak(['run', '--help']).stdout;
    for (const option of help.split(/\n(?= {2}-)/))
      expect(option.match(/default:/g)?.length ?? 0).toBeLessThan(2);
    expect(help).toMatch(/--analyst <analyst>[\s\S]*default: "auto"\)/);
  });
});

describe('incidents list', () => {
  const dataDir = join(work, 'listed');
  const at = '2026-11-20T10:30:00.000Z';
  const base = { services: ['checkout'], source: 'manual' as const, updatedAt: at, escalationTier: 0 };
  beforeAll(async () => {
    const db = await openDataStore(dataDir);
    const store = new DynamoIncidentStore(db.doc, db.tableName);
    await store.create({
      ...base,
      id: 'inc-20261120-1030-aaaa',
      fingerprint: 'fp-a',
      status: 'RESOLVED',
      severity: 'SEV2',
      title: 'checkout 5xx after deploy',
      detectedAt: at,
      rootCause: {
        category: 'deployment',
        culprit: '',
        summary: 's',
        confidence: 0.9,
      } as Incident['rootCause'],
    } as Incident);
    await store.create({
      ...base,
      id: 'inc-20261120-1031-bbbb',
      fingerprint: 'fp-b',
      status: 'ACTIVE',
      title: 'search latency',
      detectedAt: '2026-11-20T10:31:00.000Z',
    } as Incident);
    await db.close();
  });

  it('has a header row, columns aligned under it, and --json stays plain JSON', () => {
    const r = firebreak(['incidents', 'list', '--data-dir', dataDir]);
    expect(r.code, r.stderr).toBe(0);
    const [header, ...rows] = r.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^ID +SEV +STATUS +DETECTED \(UTC\) +CAUSE +TITLE$/);
    expect(rows).toHaveLength(2);
    for (const column of ['SEV', 'STATUS', 'DETECTED', 'CAUSE', 'TITLE']) {
      const at = header.indexOf(column);
      for (const row of rows) expect(row[at - 1], `${column} in ${row}`).toBe(' ');
      for (const row of rows) expect(row[at], `${column} in ${row}`).not.toBe(' ');
    }
    expect(rows[0]).toMatch(/^inc-20261120-1031-bbbb +— +ACTIVE +2026-11-20 10:31 +— +search latency$/);
    expect(rows[1]).toMatch(/SEV2 +RESOLVED +2026-11-20 10:30 +deployment +checkout 5xx after deploy$/);

    const json = firebreak(['incidents', 'list', '--json', '--data-dir', dataDir], { FORCE_COLOR: '1' });
    expect(JSON.parse(json.stdout).map((i: Incident) => i.id)).toEqual([
      'inc-20261120-1031-bbbb',
      'inc-20261120-1030-aaaa',
    ]);
    expect(json.stdout).not.toContain(ESC);
  }, 120_000);

  it('colours status and severity when forced, and not with --no-color or when piped', () => {
    const forced = firebreak(['incidents', 'list', '--data-dir', dataDir], { FORCE_COLOR: '1' });
    expect(forced.stdout).toContain(`${ESC}32mRESOLVED`);
    expect(forced.stdout).toContain(`${ESC}31mSEV2`);
    // Padding is outside the colour: the plain text is the same table.
    expect(stripVTControlCharacters(forced.stdout)).toBe(
      firebreak(['incidents', 'list', '--data-dir', dataDir]).stdout,
    );
    for (const [args, env] of [
      [['--no-color'], { FORCE_COLOR: '1' }],
      [[], { FORCE_COLOR: '0' }],
      [[], {}],
    ] as const) {
      const r = firebreak(['incidents', 'list', ...args, '--data-dir', dataDir], env);
      expect(r.code).toBe(0);
      expect(r.stdout, JSON.stringify({ args, env })).not.toContain(ESC);
    }
  }, 120_000);

  it.skipIf(!hasScript)(
    'on a terminal: colour, unless NO_COLOR is set to anything or --no-color',
    () => {
      const list = ['incidents', 'list', '--data-dir', dataDir];
      expect(onTerminal(list).output).toContain(`${ESC}32mRESOLVED`);
      for (const [args, env] of [
        [list, { NO_COLOR: '1' }],
        [list, { NO_COLOR: 'yes' }],
        [[...list, '--no-color'], {}],
        [list, { TERM: 'dumb' }],
      ] as const) {
        const r = onTerminal([...args], env);
        expect(r.output).toMatch(/RESOLVED/);
        expect(r.output, JSON.stringify(env)).not.toContain(ESC);
      }
    },
    120_000,
  );
});

describe('enum options are refused before anything runs, with the allowed values named', () => {
  const scenario = fileURLToPath(
    new URL('../../examples/scenarios/checkout-5xx-after-deploy.json', import.meta.url),
  );
  const cases: Array<[string, string[], RegExp]> = [
    [
      'incidents list --status',
      ['incidents', 'list', '--status', 'bogus'],
      /TRIAGE, ACTIVE, MITIGATED, RESOLVED, TICKETED, CANCELLED\.$/,
    ],
    [
      'incidents close --as',
      ['incidents', 'close', 'inc-x', '--reason', 'r', '--as', 'fixed'],
      /resolved, cancelled\.$/,
    ],
    [
      'run --fail-state',
      ['run', scenario, '--fail-state', 'Bogus'],
      /Intake, Triage, .*RequestApproval.*Postmortem/,
    ],
    ['run --approve', ['run', scenario, '--approve', 'maybe'], /auto, prompt, deny, timeout, wait\.$/],
    ['run --source', ['run', scenario, '--source', 'nagios'], /cloudwatch-eventbridge, .*grafana, manual\.$/],
    ['run --analyst', ['run', scenario, '--analyst', 'gpt'], /auto, offline, claude\.$/],
    [
      'start --severity',
      ['start', '--service', 's', '--summary', 'x', '--severity', 'SEV9'],
      /SEV1, SEV2, SEV3, SEV4\.$/,
    ],
    ['start --approve', ['start', '--service', 's', '--summary', 'x', '--approve', 'yes'], /auto, prompt/],
    [
      'ingest --source',
      ['ingest', scenario, '--source', 'nagios'],
      /auto, cloudwatch-eventbridge, .*grafana\.$/,
    ],
    ['ingest --approve', ['ingest', scenario, '--approve', 'yes'], /auto, prompt/],
    ['serve --approve', ['serve', '--approve', 'yes'], /auto, prompt/],
    ['eval --analyst', ['eval', 'examples/scenarios', '--analyst', 'auto'], /offline, claude\.$/],
    ['review --verdict', ['review', 'inc-x', '--verdict', 'maybe'], /correct, partly, wrong\.$/],
    [
      'review --category',
      ['review', 'inc-x', '--verdict', 'wrong', '--category', 'gremlins'],
      /deployment, .*healthy\.$/,
    ],
  ];

  it('for every one of them: exit 2, one line, nothing written', async () => {
    const results = await Promise.all(
      cases.map(async ([name, args], i) => {
        const dataDir = join(work, `refused-${i}`);
        return { name, dataDir, ...(await firebreakAsync([...args, '--data-dir', dataDir])) };
      }),
    );
    for (const [i, r] of results.entries()) {
      const option = cases[i][0].split(' ').pop();
      expect(r.code, `${r.name}: ${r.stderr}`).toBe(2);
      expect(r.stderr.split('\n'), r.name).toHaveLength(1);
      expect(r.stderr, r.name).toMatch(
        new RegExp(`^firebreak: option '${option} <\\w+>' argument '.+' is invalid\\. Allowed choices are `),
      );
      expect(r.stderr, r.name).toMatch(cases[i][2]);
      expect(existsSync(r.dataDir), r.name).toBe(false);
    }
  }, 120_000);
});

/** A program with every command's module registered, as `firebreak <command>` loads one. */
function fullProgram(): Command {
  const program = new Command('firebreak')
    .version('0', '-V, --version', 'print the version')
    .option('--no-color', 'no colour, as when NO_COLOR is set (FORCE_COLOR forces colour)');
  for (const register of [
    registerRun,
    registerStart,
    registerIngest,
    registerServe,
    registerIncidents,
    registerEval,
    registerApprove,
    registerReject,
    registerPostmortem,
    registerReport,
    registerReview,
    registerExport,
    registerGraph,
  ]) {
    register(program);
  }
  return program;
}
