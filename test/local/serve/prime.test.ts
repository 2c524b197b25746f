/** serve's warm-up reaches every example delivery: one it cannot read would silently stay cold. */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { primeRequestPath } from '../../../local/serve/prime.js';

describe('priming the request path', () => {
  it('parses and normalizes every example delivery', () => {
    const examples = readdirSync(new URL('../../../examples/alerts/', import.meta.url)).filter((n) =>
      n.endsWith('.json'),
    );
    expect(examples.length).toBeGreaterThan(0);
    expect(primeRequestPath()).toBe(examples.length);
  });
});
