/**
 * `firebreak export` → `firebreak eval`, as a user runs them: a reviewed incident becomes a scenario
 * whose `expected` is the responders' verdict, the eval reads and scores it, secrets stay masked,
 * and an unknown or unreviewed incident is refused with one line, writing nothing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exampleScenario, tempDir } from '../../support/response-harness.js';

const BIN = fileURLToPath(new URL('../../../bin/firebreak.js', import.meta.url));
const SECRET = 'S3cretPassw0rd';

describe('export → eval', () => {
  it('round-trips a reviewed incident: the verdict is what the eval scores against', () => {
    const dir = tempDir('firebreak-export-');
    const dataDir = join(dir, 'data');
    const firebreak = (...args: string[]) => {
      const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
      return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    };
    // A connection string with its password in the alarm's reason, as a careless alarm might carry.
    const scenario = exampleScenario('checkout-5xx-after-deploy') as {
      alert: { payload: { detail: { state: { reason: string } } } };
    };
    scenario.alert.payload.detail.state.reason += ` (probe postgres://app:${SECRET}@checkout-db:5432/orders)`;
    const file = join(dir, 'scenario.json');
    writeFileSync(file, JSON.stringify(scenario));
    const ran = firebreak('run', file, '--json', '--approve', 'auto', '--data-dir', dataDir);
    expect(ran.code, ran.stderr).toBe(0);
    const { incidentId, culprit, severity } = JSON.parse(ran.stdout);

    const out = join(dir, 'exported', 'scenario.json');
    mkdirSync(join(dir, 'exported'));
    for (const [id, reason] of [
      [incidentId, new RegExp(`${incidentId} is not reviewed: run .firebreak review`)],
      ['inc-nope', /no incident inc-nope/],
    ] as const) {
      const refused = firebreak('export', id, '--out', out, '--data-dir', dataDir);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(reason);
      expect(refused.stderr.trim().split('\n')).toHaveLength(1);
      expect(existsSync(out)).toBe(false);
    }

    const reviewed = firebreak(
      'review',
      incidentId,
      '--verdict',
      'correct',
      '--by',
      'alice',
      '--data-dir',
      dataDir,
    );
    expect(reviewed.code, reviewed.stderr).toBe(0);
    const exported = firebreak('export', incidentId, '--out', out, '--data-dir', dataDir);
    expect(exported.code, exported.stderr).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).not.toContain(SECRET);
    expect(text).toMatch(/postgres:\/\/app:<password:[^>]+>@checkout-db/);
    const doc = JSON.parse(text);
    expect(doc.expected).toEqual({
      severity,
      category: 'deployment',
      culprit,
      mitigation: 'rollback',
      resolved: true,
    });
    expect(doc.environment.recovery.resolvedBy).toEqual(['rollback:checkout']);
    // Without --out it prints the same scenario.
    expect(JSON.parse(firebreak('export', incidentId, '--data-dir', dataDir).stdout)).toEqual(doc);

    const evaluated = firebreak('eval', join(dir, 'exported'), '--json');
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const report = JSON.parse(evaluated.stdout);
    expect(report.total).toBe(1);
    const [result] = report.scenarios;
    expect(result.id).toBe(doc.id);
    expect(result.checks.category.want).toBe('deployment');
    expect(result.checks.culprit.want).toBe(culprit);
    expect(result.checks.mitigation.want).toBe('rollback');
    expect(result.checks.severity.want).toBe(severity);
    // Scored, and honestly: the telemetry the investigation read is not kept per incident, so the
    // replay has the alert alone and cannot establish the cause (docs/memory.md, "Export").
    expect(result.checks.category).toEqual({ pass: false, got: 'unknown', want: 'deployment' });
    expect(result.passed).toBe(false);
  }, 240_000);
});
