/**
 * A local run killed with -9 mid-incident leaves a heartbeat behind; the next run in that folder
 * marks the incident (automation stopped, respond by hand) and tells on-call; a person closes it
 * with `incidents close --reason`, which refuses while a live run still drives the incident. A rerun
 * of the alert meanwhile joins the open incident instead of opening a second one.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/firebreak.js', import.meta.url));
const SCENARIO = fileURLToPath(
  new URL('../../examples/scenarios/checkout-5xx-after-deploy.json', import.meta.url),
);
const env = { ...process.env, NODE_NO_WARNINGS: '1', ANTHROPIC_API_KEY: '' };
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

function firebreak(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--no-warnings', BIN, ...args], { env });
  children.push(child);
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

/** Complete lines only: a live run may be mid-append (the file exists, its last line not yet whole). */
const outbox = (dir: string) =>
  existsSync(join(dir, 'outbox.jsonl'))
    ? readFileSync(join(dir, 'outbox.jsonl'), 'utf8')
        .split('\n')
        .slice(0, -1)
        .map((l) => JSON.parse(l) as { kind: string; incidentId: string; audience: string })
    : [];

/** Starts a run that waits for an approval, and resolves once it is waiting (its incident id). */
async function waitingRun(dir: string): Promise<{ child: ChildProcess; incidentId: string }> {
  const child = spawn(
    process.execPath,
    ['--no-warnings', BIN, 'run', SCENARIO, '--approve', 'wait', '--data-dir', dir],
    {
      env,
      stdio: 'ignore',
    },
  );
  children.push(child);
  for (let i = 0; i < 600; i++) {
    const asked = outbox(dir).find((m) => m.kind === 'approval-request');
    if (asked) return { child, incidentId: asked.incidentId };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the run never asked for approval');
}

describe('a run killed with -9', () => {
  it('is found by the next run: timeline marked, on-call told; then closed by hand', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'firebreak-killed-'));
    const { child, incidentId } = await waitingRun(dir);
    expect(readdirSync(join(dir, 'runs'))).toHaveLength(1);
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));

    const before = await firebreak(['incidents', 'show', incidentId, '--json', '--data-dir', dir]);
    expect(JSON.parse(before.stdout).status).toBe('ACTIVE');
    expect(outbox(dir).some((m) => m.kind === 'automation-failure')).toBe(false);

    const next = await firebreak(['run', SCENARIO, '--approve', 'auto', '--data-dir', dir]);
    expect(next.code).toBe(0);
    expect(next.stderr).toContain(`${incidentId}: its earlier run stopped without finishing`);
    // The same alert again, while its incident is open: it joins it, no second incident.
    expect(next.stdout).toContain(`Incident ${incidentId}: ACTIVE — still open; the alert joined it`);
    const listed = await firebreak(['incidents', 'list', '--json', '--data-dir', dir]);
    expect(JSON.parse(listed.stdout).map((i: { id: string }) => i.id)).toEqual([incidentId]);
    const shown = JSON.parse(
      (await firebreak(['incidents', 'show', incidentId, '--json', '--data-dir', dir])).stdout,
    );
    const failed = shown.timeline.find((e: { type: string }) => e.type === 'automation-failed');
    expect(failed?.text).toMatch(/^automation stopped: RunLost/);
    expect(shown.failure.error).toBe('RunLost');
    const told = outbox(dir).filter((m) => m.kind === 'automation-failure' && m.incidentId === incidentId);
    expect(told.map((m) => m.audience)).toEqual(['oncall']);
    expect(readdirSync(join(dir, 'runs'))).toHaveLength(0);

    const closed = await firebreak([
      'incidents',
      'close',
      incidentId,
      '--reason',
      'rolled back by hand',
      '--data-dir',
      dir,
    ]);
    expect(closed.code).toBe(0);
    const after = JSON.parse(
      (await firebreak(['incidents', 'show', incidentId, '--json', '--data-dir', dir])).stdout,
    );
    expect(after.status).toBe('RESOLVED');
    expect(after.timeline.at(-1)).toMatchObject({
      type: 'closed',
      text: 'closed by hand as RESOLVED: rolled back by hand',
    });
    const again = await firebreak(['incidents', 'close', incidentId, '--reason', 'x', '--data-dir', dir]);
    expect(again.code).toBe(2);
    expect(again.stderr).toBe(`firebreak: ${incidentId} is already RESOLVED`);
  }, 180_000);

  it('`incidents close` refuses while a live run drives the incident', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'firebreak-live-'));
    const { child, incidentId } = await waitingRun(dir);
    const refused = await firebreak(['incidents', 'close', incidentId, '--reason', 'x', '--data-dir', dir]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^firebreak: a run \(pid \d+\) is still responding to inc-/);
    child.kill('SIGKILL');
  }, 120_000);
});
