/**
 * The inbox's group commits: deliveries that arrive while a file is being written share the next
 * file (one fsync for all of them), a file goes once all its deliveries are done, and what a dead
 * `serve` left — files of several deliveries, or of one as an older `serve` wrote them — is read back.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toDelivery } from '../../../lambdas/ingest/read-body.js';
import { InboxFiles } from '../../../local/serve/inbox-files.js';
import { variant } from '../../lambdas/ingest/fixtures.js';

const delivery = (n: number) =>
  toDelivery(
    variant('alertmanager-group', (d) => {
      d.alerts = [{ ...d.alerts[0], fingerprint: `files-${n}` }];
    }),
    'alertmanager',
    '2026-12-06T10:00:00.000Z',
  );

const jsonFiles = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.json'));

describe('inbox files', () => {
  it('writes the deliveries that arrive during a write together, in one file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'firebreak-inbox-files-'));
    const files = new InboxFiles(dir);
    const entries = await Promise.all(Array.from({ length: 10 }, (_, n) => files.store(delivery(n))));
    // The first is written at once, alone; the nine that came while it was written share the next.
    expect(files.written).toEqual({ files: 2, deliveries: 10 });
    expect(jsonFiles(dir)).toHaveLength(2);
    expect(new Set(entries.map((e) => e.id)).size).toBe(10);
    const shared = jsonFiles(dir)
      .map((n) => JSON.parse(readFileSync(join(dir, n), 'utf8')) as unknown[])
      .sort((a, b) => a.length - b.length);
    expect(shared.map((d) => d.length)).toEqual([1, 9]);
    expect(shared[1]).toEqual(entries.slice(1).map((e) => JSON.parse(JSON.stringify(e.delivery))));

    // A file stays until every delivery in it is done; done twice counts once.
    await entries[0].done();
    expect(jsonFiles(dir)).toHaveLength(1);
    for (const e of entries.slice(1, 9)) await e.done();
    await entries[1].done();
    expect(jsonFiles(dir)).toHaveLength(1);
    await entries[9].done();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('reads back what a dead serve left: shared files, single ones, not torn ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'firebreak-inbox-left-'));
    writeFileSync(join(dir, '1-shared.json'), JSON.stringify([delivery(1), delivery(2)]));
    writeFileSync(join(dir, '2-older.json'), JSON.stringify(delivery(3)));
    writeFileSync(join(dir, '3-torn.json'), '[{"source":"alertm');
    writeFileSync(join(dir, '4-unrenamed.json.tmp'), '[]');
    const left = await new InboxFiles(dir).leftovers();
    expect(left.map((e) => e.delivery.alerts[0].fingerprint)).toEqual([
      'alertmanager:files-1',
      'alertmanager:files-2',
      'alertmanager:files-3',
    ]);
    expect(readdirSync(dir).sort()).toEqual(['1-shared.json', '2-older.json', '4-unrenamed.json.tmp']);
    await left[0].done();
    expect(readdirSync(dir)).toContain('1-shared.json');
    await left[1].done();
    await left[2].done();
    expect(readdirSync(dir)).toEqual(['4-unrenamed.json.tmp']);
  });
});
