import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/firebreak.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'firebreak-cli-'));

/** Runs the real CLI as a user would; returns its exit code, stdout and stderr. */
function firebreak(args: string[], dataDir = join(work, `data-${Math.random().toString(36).slice(2)}`)) {
  const r = spawnSync(process.execPath, ['--no-warnings', BIN, ...args, '--data-dir', dataDir], {
    encoding: 'utf8',
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.trim(), dataDir };
}

const file = (name: string, content: string) => {
  const path = join(work, name);
  writeFileSync(path, content);
  return path;
};

describe('firebreak run refuses bad input with one line, exit 2, nothing written', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['a missing file', join(work, 'nope.json'), /^firebreak: no such file: .*nope\.json$/],
    ['invalid JSON', file('broken.json', '{"alert": '), /^firebreak: .*broken\.json is not valid JSON/],
    ['an unknown shape', file('unknown.json', '{"hello": "world"}'), /^firebreak: unknown alert shape/],
    [
      'a scenario missing fields',
      file('bad-scenario.json', JSON.stringify({ id: 'x', alert: {}, environment: {}, expected: {} })),
      /^firebreak: not a valid scenario: /,
    ],
    [
      'an alert that is not firing',
      file(
        'ok-alarm.json',
        JSON.stringify({
          version: '0',
          id: 'e1',
          'detail-type': 'CloudWatch Alarm State Change',
          source: 'aws.cloudwatch',
          account: '123456789012',
          time: '2026-11-20T10:30:00Z',
          region: 'us-east-1',
          resources: [],
          detail: { alarmName: 'checkout-alb-5xx-high', state: { value: 'OK', reason: 'back to normal' } },
        }),
      ),
      /^firebreak: the alert is resolved, not firing/,
    ],
  ];
  for (const [what, path, message] of cases) {
    it(`for ${what}`, () => {
      const r = firebreak(['run', path, '--json']);
      expect(r.code).toBe(2);
      expect(r.stderr.split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
      expect(existsSync(r.dataDir)).toBe(false);
    });
  }

  it('for a bad option value', () => {
    const r = firebreak(['run', file('x.json', '{}'), '--approve', 'maybe']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^firebreak: option '--approve <mode>' argument 'maybe' is invalid. Allowed choices are auto, prompt, deny, timeout, wait\.$/,
    );
    expect(existsSync(r.dataDir)).toBe(false);
  });

  it('for an incident in a folder where nothing has run, without creating a store there', () => {
    const r = firebreak(['incidents', 'show', 'inc-nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^firebreak: no firebreak store in .* \(nothing has run there yet\)$/);
    expect(existsSync(r.dataDir)).toBe(false);
  });
});
