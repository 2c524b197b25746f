/**
 * No signature fires on a healthy service's logs: every log pattern of every built-in entry is run
 * against clean-logs.txt, normal lines of healthy services. A pattern that matches one of them is
 * too loose: fix the pattern, not the corpus.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_KNOWLEDGE } from '../../../domain/knowledge/builtin.js';

const CLEAN = readFileSync(join(import.meta.dirname, 'clean-logs.txt'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '' && !l.startsWith('#'));

describe('clean logs', () => {
  it('is a corpus of a few hundred normal lines', () => {
    expect(CLEAN.length).toBeGreaterThanOrEqual(280);
  });

  it('matches no log pattern of any entry', () => {
    const hits: string[] = [];
    for (const e of BUILTIN_KNOWLEDGE) {
      for (const source of e.match.logs ?? []) {
        const re = new RegExp(source, 'i');
        for (const line of CLEAN) if (re.test(line)) hits.push(`${e.id}: /${source}/ matched: ${line}`);
      }
    }
    expect(hits).toEqual([]);
  });
});
