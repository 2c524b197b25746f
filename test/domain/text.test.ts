import { describe, expect, it } from 'vitest';
import { clip } from '../../domain/text.js';

describe('clip', () => {
  const finding =
    'Deployment of checkout v187 at 13:58, 4 min before the onset at 14:02, introduced an unhandled code error';

  it('cuts at the last whole word and marks the cut with an ellipsis', () => {
    expect(clip(finding, 72)).toBe('Deployment of checkout v187 at 13:58, 4 min before the onset at 14:02…');
    // Whatever the limit, the text before the ellipsis ends on a whole word of the source (the old
    // cut kept "intro" of "introduced").
    const words = new Set(finding.split(' ').map((w) => w.replace(/[,;:.]$/, '')));
    for (let max = 12; max < finding.length; max++) {
      const c = clip(finding, max);
      expect(c.length, String(max)).toBeLessThanOrEqual(max);
      expect(c.endsWith('…'), c).toBe(true);
      const last = (c.slice(0, -1).split(' ').at(-1) as string).replace(/[,;:.]$/, '');
      expect(words.has(last), `${max}: ${c}`).toBe(true);
    }
  });

  it('keeps short text whole, flattened to one line', () => {
    expect(clip('two\nlines  here', 50)).toBe('two lines here');
  });

  it('cuts a single token with no word boundary hard, still within the limit', () => {
    const arn = `arn:aws:lambda:${'x'.repeat(100)}`;
    const c = clip(arn, 30, '...');
    expect(c.length).toBe(30);
    expect(c.endsWith('...')).toBe(true);
  });

  it('cuts exactly at a word that ends at the limit', () => {
    expect(clip('alpha beta gamma', 11)).toBe('alpha beta…');
  });
});
