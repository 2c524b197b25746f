/**
 * Warms `serve`'s request path before it listens: the example deliveries (examples/alerts) are
 * read, parsed and normalized a few times, as a webhook's body would be. Why: the first deliveries
 * after start otherwise pay for compiling the parsers and schemas — traced under the 400-alert
 * storm, the first 20 groups spent ≈3.3 ms each normalizing instead of ≈1 ms, and the first one
 * held the rest of the storm ≈100 ms. Nothing is stored; a missing or unreadable example is skipped.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readDelivery } from '../../lambdas/ingest/read-body.js';

const EXAMPLES = fileURLToPath(new URL('../../examples/alerts/', import.meta.url));
const ROUNDS = 20;

/** Returns how many example deliveries it normalized (0 without examples). */
export function primeRequestPath(now: Date = new Date()): number {
  let names: string[];
  try {
    names = readdirSync(EXAMPLES).filter((n) => n.endsWith('.json'));
  } catch {
    return 0;
  }
  let primed = 0;
  for (const name of names) {
    let body: Buffer;
    try {
      body = readFileSync(`${EXAMPLES}${name}`);
      readDelivery(body, undefined, now.toISOString());
    } catch {
      continue;
    }
    for (let i = 1; i < ROUNDS; i++)
      JSON.stringify(readDelivery(body, undefined, now.toISOString()).delivery);
    primed++;
  }
  return primed;
}
