import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../../domain/errors.js';
import { evaluate, loadScenarioFolder } from '../../../local/eval.js';
import { startFakeMessagesApi } from '../../domain/analyst/claude/fake-messages-api.js';
import { scriptedModel } from '../../domain/analyst/claude/scripted-models.js';

const run = promisify(execFile);
const fixture = join(
  import.meta.dirname,
  '..',
  '..',
  'domain',
  'analyst',
  'claude',
  'fixtures',
  'checkout-deploy.json',
);
const cli = join(import.meta.dirname, '..', '..', '..', 'bin', 'firebreak.js');
let root: string;
let good: string;

/** Runs the CLI; resolves with exit code and output whatever the code. */
async function firebreak(args: string[], env: Record<string, string> = {}) {
  try {
    const out = await run(process.execPath, [cli, ...args], {
      env: { ...process.env, ANTHROPIC_API_KEY: '', ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout: out.stdout, stderr: out.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'firebreak-eval-test-'));
  good = join(root, 'good');
  await run('mkdir', ['-p', good, join(root, 'bad'), join(root, 'empty'), join(root, 'failing')]);
  await copyFile(fixture, join(good, 'checkout.json'));
  // The same incident, but expecting what the pipeline will not conclude: it must score as a failure.
  const wrong = JSON.parse(await readFile(fixture, 'utf8'));
  wrong.id = 'checkout-wrong-expectations';
  wrong.expected = { ...wrong.expected, category: 'network', culprit: 'acl-123', mitigation: 'none' };
  await writeFile(join(good, 'wrong.json'), JSON.stringify(wrong));
  await writeFile(join(root, 'failing', 'wrong.json'), JSON.stringify(wrong));
  await writeFile(
    join(good, 'scenario.schema.json'),
    '{"$schema": "https://json-schema.org/draft/2020-12/schema"}',
  );
  await copyFile(fixture, join(root, 'bad', 'ok.json'));
  await writeFile(join(root, 'bad', 'broken.json'), '{"id": ');
  await writeFile(join(root, 'bad', 'alert.json'), '{"detail-type": "CloudWatch Alarm State Change"}');
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('loading a scenario folder', () => {
  it('names every unreadable file and why, and skips JSON Schemas', async () => {
    const { loaded, unreadable } = await loadScenarioFolder(join(root, 'bad'));
    expect(loaded.map((l) => l.scenario.id)).toEqual(['checkout-5xx-after-deploy']);
    expect(unreadable.map((u) => [u.file.split('/').at(-1), u.reason])).toEqual([
      ['alert.json', 'not a scenario (needs alert, environment and expected)'],
      ['broken.json', expect.stringMatching(/^not valid JSON/)],
    ]);
    expect((await loadScenarioFolder(good)).loaded).toHaveLength(2);
  });

  it('refuses a missing or empty folder', async () => {
    await expect(loadScenarioFolder(join(root, 'nope'))).rejects.toThrow(ValidationError);
    await expect(loadScenarioFolder(join(root, 'empty'))).rejects.toThrow(/no scenarios/);
  });
});

describe('evaluating a folder', () => {
  it('runs each scenario through the pipeline and scores it honestly', async () => {
    const { loaded } = await loadScenarioFolder(good);
    const seen: string[] = [];
    const report = await evaluate(good, loaded, { analystName: 'offline', onResult: (r) => seen.push(r.id) });
    expect(seen.sort()).toEqual(['checkout-5xx-after-deploy', 'checkout-wrong-expectations']);
    const [right, wrong] = report.scenarios;
    expect(right.executionStatus).toBe('SUCCEEDED');
    expect(right.checks.category).toEqual({ pass: true, got: 'deployment', want: 'deployment' });
    expect(right.checks.mitigation.got).toBe('rollback');
    expect(wrong.passed).toBe(false);
    expect(wrong.checks.category.pass).toBe(false);
    expect(wrong.checks.culprit.pass).toBe(false);
    expect(wrong.checks.mitigation).toMatchObject({ pass: false, want: 'none' });
    expect(report.total).toBe(2);
    expect(report.categoryAccuracy).toBe(right.checks.category.pass ? 0.5 : 0);
    expect(report.checks.culprit.scored).toBe(2);
  }, 60_000);
});

describe('firebreak eval', () => {
  it('exits 2 on unreadable scenarios, naming them, and runs nothing', async () => {
    const out = await firebreak(['eval', join(root, 'bad')]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('broken.json: not valid JSON');
    expect(out.stderr).toContain('2 unreadable scenario(s)');
    expect(out.stdout).toBe('');
  }, 60_000);

  it('refuses --analyst claude without a key', async () => {
    const out = await firebreak(['eval', good, '--analyst', 'claude']);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('ANTHROPIC_API_KEY');
  }, 60_000);

  it('prints one JSON report and exits 0 whatever the score, with the Claude analyst behind a fake API', async () => {
    const server = await startFakeMessagesApi(scriptedModel());
    try {
      const out = await firebreak(['eval', join(root, 'failing'), '--json', '--analyst', 'claude'], {
        ANTHROPIC_API_KEY: 'test-key',
        ANTHROPIC_BASE_URL: server.url,
      });
      expect(out.code).toBe(0);
      const report = JSON.parse(out.stdout);
      expect(report).toMatchObject({ analyst: 'claude', total: 1, passed: 0 });
      for (const key of ['categoryAccuracy', 'severityAccuracy', 'culpritAccuracy', 'mitigationAccuracy']) {
        expect(report[key]).toBeGreaterThanOrEqual(0);
        expect(report[key]).toBeLessThanOrEqual(1);
      }
      expect(report.scenarios[0].tokens.input).toBeGreaterThan(0);
      expect(server.requests.length).toBeGreaterThan(0);
      expect(report.scenarios[0]).toMatchObject({ id: 'checkout-wrong-expectations', passed: false });
      expect(report.scenarios[0].checks.mitigation).toMatchObject({
        got: 'rollback',
        want: 'none',
        pass: false,
      });
    } finally {
      await server.close();
    }
  }, 90_000);
});
