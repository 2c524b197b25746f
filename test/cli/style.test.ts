/**
 * The colour rule on its own, for the cases a spawned CLI cannot set up cheaply: an empty NO_COLOR,
 * FORCE_COLOR=false, TERM=dumb, and which marks are coloured.
 */
import { describe, expect, it } from 'vitest';
import { colourOn, painter, paintMarks } from '../../bin/commands/style.js';

const tty = { isTTY: true };
const pipe = { isTTY: false };

describe('colourOn', () => {
  const cases: Array<[string, { isTTY: boolean }, NodeJS.ProcessEnv, boolean]> = [
    ['a terminal', tty, {}, true],
    ['a pipe', pipe, {}, false],
    ['NO_COLOR=1 on a terminal', tty, { NO_COLOR: '1' }, false],
    ['NO_COLOR=0 on a terminal: any non-empty value counts', tty, { NO_COLOR: '0' }, false],
    ['an empty NO_COLOR on a terminal: ignored', tty, { NO_COLOR: '' }, true],
    ['FORCE_COLOR=1 on a pipe', pipe, { FORCE_COLOR: '1' }, true],
    ['an empty FORCE_COLOR on a pipe', pipe, { FORCE_COLOR: '' }, true],
    ['FORCE_COLOR over NO_COLOR', pipe, { FORCE_COLOR: '1', NO_COLOR: '1' }, true],
    ['FORCE_COLOR=0 on a terminal', tty, { FORCE_COLOR: '0' }, false],
    ['FORCE_COLOR=false on a terminal', tty, { FORCE_COLOR: 'false' }, false],
    ['TERM=dumb', tty, { TERM: 'dumb' }, false],
  ];
  it.each(cases)('%s', (_name, stream, env, on) => {
    expect(colourOn(stream, env)).toBe(on);
  });
});

describe('paintMarks', () => {
  const previous = process.env.FORCE_COLOR;
  it('colours the marks of progress and eval lines where they stand alone, and nothing else', () => {
    process.env.FORCE_COLOR = '1';
    try {
      const paint = painter(pipe);
      expect(paintMarks(paint, '  ✓ pass  ✗ fail  · not asked')).toBe(
        '  \u001b[32m✓\u001b[39m pass  \u001b[31m✗\u001b[39m fail  \u001b[90m·\u001b[39m not asked',
      );
      expect(paintMarks(paint, '  +1.00s 14:07:43  ✗ Mitigate failed: Error')).toContain(
        '\u001b[31m✗\u001b[39m',
      );
      // A mark inside a word or a title is text, not a mark.
      expect(paintMarks(paint, 'inc-1 — a·b ✓done')).toBe('inc-1 — a·b ✓done');
    } finally {
      if (previous === undefined) delete process.env.FORCE_COLOR;
      else process.env.FORCE_COLOR = previous;
    }
  });
});
