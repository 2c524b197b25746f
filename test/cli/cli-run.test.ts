import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/firebreak.js', import.meta.url));
const SCENARIO = fileURLToPath(
  new URL('../../examples/scenarios/checkout-5xx-after-deploy.json', import.meta.url),
);
const dataDir = mkdtempSync(join(tmpdir(), 'firebreak-cli-run-'));

const firebreak = (...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args, '--data-dir', dataDir], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

describe('firebreak run, as a user runs it', () => {
  it('runs an incident end to end, prints the summary, and keeps each run as its own incident', () => {
    const first = firebreak('run', SCENARIO, '--json');
    expect(first.code, first.stderr).toBe(0);
    const summary = JSON.parse(first.stdout);
    expect(summary).toMatchObject({ status: 'RESOLVED', severity: 'SEV2', category: 'deployment' });
    expect(summary.mitigation).toMatchObject({ kind: 'rollback', status: 'applied' });
    for (const key of ['incidentId', 'rootCause', 'states', 'notifications', 'postmortemPath']) {
      expect(summary).toHaveProperty(key);
    }
    expect(existsSync(summary.postmortemPath)).toBe(true);
    const outbox = readFileSync(join(dataDir, 'outbox.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(outbox.length).toBe(summary.notifications.length);
    expect(outbox.every((m) => m.sms.length <= 160)).toBe(true);

    const second = firebreak('run', SCENARIO);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/▶ Triage/);
    expect(second.stdout).toMatch(/severity\s+SEV2/);
    expect(second.stdout).toMatch(/postmortem\s+.*\.md/);

    const list = firebreak('incidents', 'list', '--json');
    const incidents = JSON.parse(list.stdout);
    expect(incidents).toHaveLength(2);
    expect(incidents.map((i: { id: string }) => i.id)).toContain(summary.incidentId);

    const show = firebreak('incidents', 'show', summary.incidentId);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/approval-granted/);
    expect(show.stdout).toMatch(/resolved/);
  }, 120_000);

  it('prints the flow as a Mermaid flowchart', () => {
    const graph = spawnSync(process.execPath, [BIN, 'graph'], { encoding: 'utf8' });
    expect(graph.status).toBe(0);
    expect(graph.stdout.split('\n')[0]).toBe('flowchart TD');
    expect(graph.stdout).toMatch(/RouteBySeverity -->\|SEV4\| Respond/);
    expect(graph.stdout).toMatch(/WaitForRecovery\(\[WaitForRecovery\]\)/);
  });
});

describe('firebreak postmortem --close', () => {
  it('says what changed and rewrites the .md file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'firebreak-cli-close-'));
    const cli = (...args: string[]) => {
      const r = spawnSync(process.execPath, [BIN, ...args, '--data-dir', dir], { encoding: 'utf8' });
      return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    };
    const summary = JSON.parse(cli('run', SCENARIO, '--json', '--approve', 'auto').stdout);
    const file = summary.postmortemPath as string;
    expect(readFileSync(file, 'utf8')).toMatch(/\| AI-1 \| .* \| open \|/);

    const closed = cli('postmortem', summary.incidentId, '--close', 'AI-1');
    expect(closed.code, closed.stderr).toBe(0);
    expect(closed.stdout).toMatch(new RegExp(`^Closed AI-1: .+ \\(${summary.incidentId}\\)\\n`));
    expect(closed.stdout).toMatch(/2 of 3 action item\(s\) still open: AI-2, AI-3/);
    expect(closed.stdout).toContain(`Postmortem updated: ${file}`);
    expect(closed.stdout).not.toContain('# Postmortem');
    expect(readFileSync(file, 'utf8')).toMatch(/\| AI-1 \| .* \| closed \|/);
    expect(readFileSync(file, 'utf8')).toBe(cli('postmortem', summary.incidentId).stdout);
  });
});
