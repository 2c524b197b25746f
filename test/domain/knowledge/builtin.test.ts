/**
 * The built-in failure knowledge library: every entry valid, unique, sourced, and every pattern
 * proven by its own examples.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_KNOWLEDGE, BUILTIN_KNOWLEDGE_FILES } from '../../../domain/knowledge/builtin.js';
import { parseKnowledgeFile } from '../../../domain/knowledge/load.js';
import { KNOWLEDGE_CATEGORIES } from '../../../domain/knowledge/schema.js';

const ENTRIES_DIR = join(import.meta.dirname, '..', '..', '..', 'knowledge', 'entries');

describe('built-in knowledge', () => {
  it('holds at least 160 entries, ids unique', () => {
    expect(BUILTIN_KNOWLEDGE.length).toBeGreaterThanOrEqual(160);
    const ids = BUILTIN_KNOWLEDGE.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('imports every file of knowledge/entries, and each file parses from its text', () => {
    const onDisk = readdirSync(ENTRIES_DIR)
      .filter((f) => f.endsWith('.json'))
      .map((f) => `knowledge/entries/${f}`)
      .sort();
    expect(BUILTIN_KNOWLEDGE_FILES.map((f) => f.file).sort()).toEqual(onDisk);
    for (const { file, entries } of BUILTIN_KNOWLEDGE_FILES) {
      const text = readFileSync(join(ENTRIES_DIR, '..', '..', file), 'utf8');
      expect(parseKnowledgeFile(text, file)).toEqual(entries);
      expect(entries.length, `${file} has entries`).toBeGreaterThan(0);
    }
  });

  it('cites an https source for every entry', () => {
    for (const e of BUILTIN_KNOWLEDGE) expect(e.source, e.id).toMatch(/^https:\/\/[^\s]+$/);
  });

  it('proves every log pattern with one of its example lines', () => {
    for (const e of BUILTIN_KNOWLEDGE) {
      for (const source of e.match.logs ?? []) {
        const re = new RegExp(source, 'i');
        expect(
          (e.examples.logs ?? []).some((l) => re.test(l)),
          `${e.id}: ${source}`,
        ).toBe(true);
      }
    }
  });

  it('proves every change pattern with one of its example changes', () => {
    for (const e of BUILTIN_KNOWLEDGE) {
      for (const source of e.match.changes ?? []) {
        const re = new RegExp(source, 'i');
        expect(
          (e.examples.changes ?? []).some((l) => re.test(l)),
          `${e.id}: ${source}`,
        ).toBe(true);
      }
    }
  });

  it('keeps each example line on the entry it illustrates (an example matched by its own patterns)', () => {
    for (const e of BUILTIN_KNOWLEDGE) {
      const logs = (e.match.logs ?? []).map((s) => new RegExp(s, 'i'));
      for (const line of e.examples.logs ?? [])
        expect(
          logs.some((re) => re.test(line)),
          `${e.id}: example "${line}"`,
        ).toBe(true);
      const changes = (e.match.changes ?? []).map((s) => new RegExp(s, 'i'));
      for (const line of e.examples.changes ?? [])
        expect(
          changes.some((re) => re.test(line)),
          `${e.id}: example change "${line}"`,
        ).toBe(true);
    }
  });

  it('uses every category and both roles', () => {
    const categories = new Set(BUILTIN_KNOWLEDGE.map((e) => e.category));
    for (const c of KNOWLEDGE_CATEGORIES) expect(categories.has(c), c).toBe(true);
    expect(new Set(BUILTIN_KNOWLEDGE.map((e) => e.role))).toEqual(new Set(['cause', 'symptom']));
    expect(new Set(BUILTIN_KNOWLEDGE.map((e) => e.blames))).toEqual(new Set(['self', 'peer']));
  });

  it('keeps every pattern fast on long, near-miss input (no catastrophic backtracking)', () => {
    const hostile = [
      'a'.repeat(20_000),
      `${'error '.repeat(3_000)}!`,
      `${'0123456789:'.repeat(2_000)}x`,
      `${'{"a":'.repeat(2_000)}`,
      `${'timeout '.repeat(2_000)}connection`,
    ];
    for (const e of BUILTIN_KNOWLEDGE) {
      const sources = [...(e.match.logs ?? []), ...(e.match.changes ?? [])];
      for (const source of sources) {
        const re = new RegExp(source, 'i');
        const start = performance.now();
        for (const line of hostile) re.test(line);
        expect(performance.now() - start, `${e.id}: ${source}`).toBeLessThan(200);
      }
    }
  });

  it("never claims another driver's exception by the end of its name", () => {
    // reactivemongo's PrimaryUnavailableException is MongoDB's, not Cassandra's UnavailableException.
    const cassandra = BUILTIN_KNOWLEDGE.find((e) => e.id === 'cassandra-unavailable')!;
    const line =
      "reactivemongo.core.actors.Exceptions$PrimaryUnavailableException: MongoError['No primary node is available!']";
    expect((cassandra.match.logs ?? []).some((p) => new RegExp(p, 'i').test(line))).toBe(false);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(BUILTIN_KNOWLEDGE)).toBe(true);
  });
});
