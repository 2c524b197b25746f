/**
 * The knowledge loader: a bad entry is rejected with the file, the entry and the field named, and
 * a folder of a user's own entries loads like the built-in library.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadKnowledgeFolder } from '../../../adapters/embedded/knowledge-folder.js';
import { ValidationError } from '../../../domain/errors.js';
import { parseKnowledgeFile } from '../../../domain/knowledge/load.js';
import type { KnowledgeEntry } from '../../../domain/knowledge/schema.js';

const dir = mkdtempSync(join(tmpdir(), 'firebreak-knowledge-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function entry(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'pg-disk-full',
    title: 'PostgreSQL: could not extend file, disk full',
    technologies: ['postgresql'],
    category: 'database',
    role: 'cause',
    blames: 'self',
    specificity: 'high',
    meaning: 'The database volume is full; writes fail until storage is added or freed.',
    match: { logs: ['could not extend file .*No space left on device'] },
    rulesOut: [{ category: 'capacity', reason: 'adding compute does not free storage' }],
    mitigations: [],
    examples: { logs: ['ERROR: could not extend file "base/16384/16397": No space left on device'] },
    source: 'https://www.postgresql.org/docs/current/disk-full.html',
    ...over,
  };
}

const file = (...entries: unknown[]) => JSON.stringify({ entries });

/** The ValidationError thrown by `fn`, failing the test when nothing is thrown. */
function rejection(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return err as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

const F = 'knowledge/entries/x.json';

describe('parseKnowledgeFile', () => {
  it('accepts a valid entry', () => {
    const [e] = parseKnowledgeFile(file(entry()), F);
    expect(e.id).toBe('pg-disk-full');
    expect(e.match.logs).toEqual(['could not extend file .*No space left on device']);
  });

  it('names the file, the entry index and id, and the field of an invalid regular expression', () => {
    const err = rejection(() =>
      parseKnowledgeFile(file(entry({ id: 'a' }), entry({ match: { logs: ['could not (extend'] } })), F),
    );
    expect(err.message).toMatch(
      /^knowledge\/entries\/x\.json: entries\[1\] \(pg-disk-full\)\.match\.logs\[0\]: invalid regular expression: /,
    );
  });

  it('rejects a pattern that can match the empty string', () => {
    for (const bad of ['(?:disk full)?', 'x*', 'disk full|', '^', '(?=error)']) {
      const err = rejection(() => parseKnowledgeFile(file(entry({ match: { logs: [bad] } })), F));
      expect(err.message).toBe(
        `${F}: entries[0] (pg-disk-full).match.logs[0]: pattern can match the empty string`,
      );
    }
  });

  it('rejects a pattern longer than 300 characters', () => {
    const long = `No space left on device${'(?:x)'.repeat(60)}`;
    const err = rejection(() => parseKnowledgeFile(file(entry({ match: { changes: [long] } })), F));
    expect(err.message).toContain('entries[0] (pg-disk-full).match.changes[0]: pattern is');
  });

  it('rejects an invalid metric name pattern', () => {
    const err = rejection(() =>
      parseKnowledgeFile(file(entry({ match: { metrics: [{ name: '[Free', direction: 'down' }] } })), F),
    );
    expect(err.message).toContain(
      'entries[0] (pg-disk-full).match.metrics[0].name: invalid regular expression',
    );
  });

  it('rejects an unknown category, and healthy', () => {
    for (const category of ['storage', 'healthy']) {
      const err = rejection(() => parseKnowledgeFile(file(entry({ category })), F));
      expect(err.message).toMatch(/^knowledge\/entries\/x\.json: entries\[0\] \(pg-disk-full\)\.category: /);
    }
  });

  it('rejects a missing or non-https source', () => {
    const missing = entry();
    delete missing.source;
    expect(rejection(() => parseKnowledgeFile(file(missing), F)).message).toMatch(
      /^knowledge\/entries\/x\.json: entries\[0\] \(pg-disk-full\)\.source: /,
    );
    expect(
      rejection(() => parseKnowledgeFile(file(entry({ source: 'http://example.com/x' })), F)).message,
    ).toBe(`${F}: entries[0] (pg-disk-full).source: source must be an https URL`);
  });

  it('rejects a pattern no example line matches', () => {
    const err = rejection(() =>
      parseKnowledgeFile(
        file(entry({ match: { logs: ['No space left on device', 'disk quota exceeded'] } })),
        F,
      ),
    );
    expect(err.message).toBe(`${F}: entries[0] (pg-disk-full).match.logs[1]: matches none of examples.logs`);
  });

  it('rejects an entry with nothing to match, an unknown field, a bad id, an unknown mitigation', () => {
    expect(rejection(() => parseKnowledgeFile(file(entry({ match: {} })), F)).message).toContain(
      'entries[0] (pg-disk-full).match: match needs at least one of logs, metrics, changes',
    );
    expect(rejection(() => parseKnowledgeFile(file(entry({ rulesout: [] })), F)).message).toContain(
      'entries[0] (pg-disk-full)',
    );
    expect(rejection(() => parseKnowledgeFile(file(entry({ id: 'PG Disk' })), F)).message).toContain(
      'entries[0] (PG Disk).id: ',
    );
    expect(
      rejection(() => parseKnowledgeFile(file(entry({ mitigations: ['reboot'] })), F)).message,
    ).toContain('entries[0] (pg-disk-full).mitigations[0]: ');
  });

  it('names an entry without an id by its index alone', () => {
    const noId = entry();
    delete noId.id;
    expect(rejection(() => parseKnowledgeFile(file(noId), F)).message).toMatch(
      /^knowledge\/entries\/x\.json: entries\[0\]\.id: /,
    );
  });

  it('rejects a duplicate id inside one file, and malformed files', () => {
    expect(rejection(() => parseKnowledgeFile(file(entry(), entry()), F)).message).toBe(
      `${F}: entries[1] (pg-disk-full).id: duplicate id, also entries[0]`,
    );
    expect(rejection(() => parseKnowledgeFile('{"entries": [', F)).message).toMatch(
      /^knowledge\/entries\/x\.json: not valid JSON/,
    );
    expect(rejection(() => parseKnowledgeFile('[]', F)).message).toMatch(/^knowledge\/entries\/x\.json: /);
  });

  it('lists every problem in issues, the first in the message', () => {
    const err = rejection(() =>
      parseKnowledgeFile(
        file(entry({ category: 'nope', source: 'ftp://x' }), entry({ id: 'b', role: 'x' })),
        F,
      ),
    );
    expect(err.issues.length).toBe(3);
    expect(err.message).toBe(err.issues[0]);
  });
});

describe('loadKnowledgeFolder', () => {
  it("loads every *.json file of a user's folder", async () => {
    const folder = join(dir, 'ok');
    await mkdir(folder);
    writeFileSync(join(folder, 'a.json'), file(entry({ id: 'a-one' }), entry({ id: 'a-two' })));
    writeFileSync(join(folder, 'b.json'), file(entry({ id: 'b-one', category: 'capacity' })));
    writeFileSync(join(folder, 'notes.txt'), 'not knowledge');
    const loaded: KnowledgeEntry[] = await loadKnowledgeFolder(folder);
    expect(loaded.map((e) => e.id)).toEqual(['a-one', 'a-two', 'b-one']);
    expect(loaded[2].category).toBe('capacity');
  });

  it('names both files of an id defined twice', async () => {
    const folder = join(dir, 'dup');
    await mkdir(folder);
    writeFileSync(join(folder, 'a.json'), file(entry({ id: 'same' })));
    writeFileSync(join(folder, 'b.json'), file(entry({ id: 'same' })));
    await expect(loadKnowledgeFolder(folder)).rejects.toThrow(
      `${join(folder, 'b.json')}: duplicate id same, already defined in ${join(folder, 'a.json')}`,
    );
  });

  it('names the file and field of a bad entry', async () => {
    const folder = join(dir, 'bad');
    await mkdir(folder);
    writeFileSync(join(folder, 'a.json'), file(entry({ id: 'fine' })));
    writeFileSync(join(folder, 'b.json'), file(entry({ id: 'broken', match: { logs: ['(unclosed'] } })));
    const err = await loadKnowledgeFolder(folder).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as Error).message).toMatch(
      /b\.json: entries\[0\] \(broken\)\.match\.logs\[0\]: invalid regular expression/,
    );
  });

  it('loads an empty folder as no entries', async () => {
    const folder = join(dir, 'empty');
    await mkdir(folder);
    expect(await loadKnowledgeFolder(folder)).toEqual([]);
  });
});
