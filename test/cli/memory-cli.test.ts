/**
 * Memory through the CLI and the local flow: a repeat is declared with its history, shows it in
 * `incidents show` and its postmortem; `review` confirms the cause; `report` measures accuracy.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/firebreak.js', import.meta.url));
const scenario = (name: string) =>
  fileURLToPath(new URL(`../../examples/scenarios/${name}.json`, import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'firebreak-memory-'));

const firebreak = (...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args, '--data-dir', dataDir], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const run = (name: string) => {
  const r = firebreak('run', scenario(name), '--json', '--approve', 'auto');
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { incidentId: string; category: string };
};
const show = (id: string) => JSON.parse(firebreak('incidents', 'show', id, '--json').stdout);
const declared = (id: string) =>
  readFileSync(join(dataDir, 'outbox.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .filter((m) => m.incidentId === id && m.kind === 'declared' && m.audience === 'oncall');

describe('incident memory, as a user meets it', () => {
  it('declares a repeat with its history after a review, and an unrelated incident without it', () => {
    const first = run('checkout-5xx-after-deploy');
    // Nothing to remember yet.
    expect(declared(first.incidentId)[0].body).not.toMatch(/History:/);
    expect(readFileSync(join(dataDir, 'postmortems', `${first.incidentId}.md`), 'utf8')).toMatch(
      /## Related incidents\nNo similar incidents in the last 90 days\./,
    );

    // The responders confirm the analyst's cause.
    const review = firebreak('review', first.incidentId, '--verdict', 'correct', '--by', 'alice', '--json');
    expect(review.code, review.stderr).toBe(0);
    expect(JSON.parse(review.stdout).review).toMatchObject({ verdict: 'correct', score: 100, by: 'alice' });

    const repeat = run('checkout-5xx-after-deploy');
    const [message] = declared(repeat.incidentId);
    expect(message.body).toMatch(
      new RegExp(
        `History: +this alert seen once in 90 days; last time: ${first.incidentId} on \\d{4}-\\d\\d-\\d\\d: .+ \\(confirmed\\); rollback checkout fixed it in \\d+ min`,
      ),
    );
    const shown = show(repeat.incidentId);
    expect(shown.similar.map((s: { id: string }) => s.id)).toEqual([first.incidentId]);
    expect(shown.similar[0]).toMatchObject({
      verdict: 'correct',
      matchedOn: expect.arrayContaining(['fingerprint', 'service']),
    });
    const similarEvent = shown.timeline.find((e: { type: string }) => e.type === 'similar-incidents');
    expect(similarEvent.data.itemsRead).toBeGreaterThan(0);
    expect(similarEvent.data.itemsRead).toBeLessThanOrEqual(5 * 11);
    const text = firebreak('incidents', 'show', repeat.incidentId).stdout;
    expect(text).toMatch(/history this alert seen once in 90 days/);
    const postmortem = firebreak('postmortem', repeat.incidentId).stdout;
    expect(postmortem).toMatch(
      new RegExp(`## Related incidents\\n.*\\n\\n- ${first.incidentId} \\(.*same fingerprint`),
    );

    // An unrelated failure (another service, another alarm) is not declared with checkout's history.
    const other = run('address-validation-vendor-cert-expired');
    expect(other.category).toBe('dependency');
    expect(show(other.incidentId).similar).toEqual([]);
    expect(declared(other.incidentId)[0]?.body ?? '').not.toMatch(/History:/);

    const wrong = firebreak(
      'review',
      other.incidentId,
      '--verdict',
      'partly',
      '--category',
      'network',
      '--by',
      'bo',
    );
    expect(wrong.code, wrong.stderr).toBe(0);
    const report = JSON.parse(firebreak('report', '--since', '3650d', '--json').stdout);
    expect(report.accuracy).toMatchObject({
      reviewed: 2,
      meanScore: 67.5,
      unreviewed: 1,
      verdicts: { correct: 1, partly: 1, wrong: 0 },
      byCategory: { deployment: { reviewed: 1, meanScore: 100 }, network: { reviewed: 1, meanScore: 35 } },
    });
    // Both checkout incidents were resolved after an approved rollback.
    expect(report.mitigation.withMitigation.resolved).toBeGreaterThanOrEqual(2);
    expect(firebreak('report', '--since', '3650d').stdout).toMatch(
      /Root-cause accuracy over 2 reviewed incident\(s\): 67.5\/100 \(1 await review\)/,
    );
  }, 180_000);

  it('refuses bad reviews with one line and exit 2, changing nothing', () => {
    const done = run('checkout-5xx-after-deploy');
    const before = show(done.incidentId);
    for (const [args, reason] of [
      [
        ['--verdict', 'maybe'],
        /--verdict <verdict>' argument 'maybe' is invalid\. Allowed choices are correct, partly, wrong\./,
      ],
      [
        ['--verdict', 'wrong', '--category', 'gremlins'],
        /--category <category>' argument 'gremlins' is invalid\. Allowed choices are deployment, /,
      ],
      [['--verdict', 'partly', '--culprit', ''], /--culprit is empty/],
    ] as const) {
      const r = firebreak('review', done.incidentId, ...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(reason);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    const unknown = firebreak('review', 'inc-nope', '--verdict', 'correct');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no incident inc-nope/);
    expect(show(done.incidentId)).toEqual(before);
  }, 120_000);
});
