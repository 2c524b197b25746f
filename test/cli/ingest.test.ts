import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type IngestCliOptions, ingestCommand } from '../../bin/commands/ingest.js';
import { fixture, variant } from '../lambdas/ingest/fixtures.js';

const BIN = fileURLToPath(new URL('../../bin/firebreak.js', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../lambdas/ingest/fixtures/', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'firebreak-ingest-'));

const file = (name: string, content: unknown) => {
  const path = join(work, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};

/** The command in this process, its output captured. */
async function ingest(path: string, opts: Partial<IngestCliOptions>) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await ingestCommand(
    path,
    { source: 'auto', dataDir: join(work, 'default'), ...opts },
    { out: (l) => out.push(l), err: (l) => err.push(l) },
  );
  return { code, stdout: out.join('\n'), stderr: err };
}

describe('the real command line', () => {
  const firebreak = (args: string[]) =>
    spawnSync(process.execPath, ['--no-warnings', BIN, 'ingest', ...args], {
      encoding: 'utf8',
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
    });

  it('--dry-run --json prints exactly the decision, the alerts and the reason, and creates nothing', () => {
    const dataDir = join(work, 'dry');
    const r = firebreak([
      join(FIXTURES, 'alertmanager-group.json'),
      '--dry-run',
      '--json',
      '--data-dir',
      dataDir,
    ]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out).sort()).toEqual(['alerts', 'decision', 'reason']);
    expect(out.decision).toBe('start');
    expect(out.alerts).toHaveLength(3);
    expect(out.alerts[0]).toEqual({
      source: 'alertmanager',
      fingerprint: 'alertmanager:1a2b3c4d5e6f7081',
      status: 'firing',
      title: 'KubePodCrashLooping',
      service: 'ledger',
      severityHint: 'SEV3',
      startedAt: '2026-11-20T10:00:12.345Z',
    });
    expect(existsSync(dataDir)).toBe(false);
  });

  it('refuses with exit 2 and one line', () => {
    const dataDir = join(work, 'refused-cli');
    const r = firebreak([join(FIXTURES, 'eventbridge-config-change.json'), '--data-dir', dataDir]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(/^firebreak: a CloudWatch alarm configuration change is not an alert/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(dataDir)).toBe(false);
  });
});

describe('firebreak ingest refuses bad input: exit 2, {"decision":"reject"}, nothing written', () => {
  const cases: Array<[string, string, Partial<IngestCliOptions>, RegExp]> = [
    ['a missing file', join(work, 'nope.json'), {}, /no such file/],
    ['invalid JSON', file('broken.json', '{"alerts": ['), {}, /not valid JSON/],
    ['an unknown shape', file('unknown.json', { hello: 'world' }), {}, /unknown alert shape/],
    [
      'a body over 256 KB',
      file('big.json', { ...fixture('eventbridge-alarm'), pad: 'x'.repeat(300_000) }),
      {},
      /limit is 262144/,
    ],
    [
      'a shape that does not match --source',
      join(FIXTURES, 'grafana-unified.json'),
      { source: 'pagerduty-v3' },
      /PagerDuty V3 webhook/,
    ],
    ['an unknown --source', join(FIXTURES, 'grafana-unified.json'), { source: 'nagios' }, /--source must be/],
  ];
  it.each(cases)('%s', async (_name, path, opts, reason) => {
    const dataDir = join(work, `refused-${Math.random().toString(36).slice(2)}`);
    const json = await ingest(path, { ...opts, json: true, dataDir });
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toEqual({ decision: 'reject', reason: expect.stringMatching(reason) });
    const plain = await ingest(path, { ...opts, dataDir });
    expect(plain.code).toBe(2);
    expect(plain.stderr).toEqual([expect.stringMatching(/^firebreak: /)]);
    expect(existsSync(dataDir)).toBe(false);
  });
});

describe('firebreak ingest against the local store', () => {
  it('starts and runs the pipeline for a new alarm, joins a repeat, and ignores a redelivery', async () => {
    const dataDir = join(work, 'real');
    const first = file('first.json', fixture('eventbridge-alarm'));
    const started = await ingest(first, { json: true, approve: 'auto', dataDir });
    expect(started.code).toBe(0);
    const run = JSON.parse(started.stdout);
    expect(run).toMatchObject({ decision: 'start', incidentId: expect.stringMatching(/^inc-/) });
    expect(run.run).toMatchObject({ incidentId: run.incidentId, executionStatus: 'SUCCEEDED' });

    const repeat = file(
      'repeat.json',
      variant('eventbridge-alarm', (d) => (d.id = 'another-event-id-0001')),
    );
    const joined = JSON.parse((await ingest(repeat, { json: true, dataDir })).stdout);
    // Without telemetry the alarm never reads OK: the run hands off and the incident stays open.
    expect(joined).toMatchObject({ decision: 'join', incidentId: run.incidentId, run: null });

    const again = await ingest(first, { dryRun: true, json: true, dataDir });
    expect(JSON.parse(again.stdout)).toMatchObject({ decision: 'ignore' });
    const human = await ingest(first, { dataDir });
    expect(human.stdout).toMatch(/^ignore — redelivery of cloudwatch-eventbridge event/);
  });
});
