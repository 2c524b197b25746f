/**
 * The requests of `npm run fuzz:webhooks` (bench/fuzz-webhooks.ts): real deliveries mutated
 * (oversized strings, lone surrogates, wrong types, deleted or duplicated fields, deep nesting, cut
 * JSON, raw bytes), each for a route, in one sequence fixed by the seed. Built in a worker thread:
 * some bodies take seconds to build (a 61 MB array of 3,000-key objects), and built on the thread
 * that times the requests they held every request in flight past the 5 s limit — hangs of the
 * harness, not of the server.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { prng } from './prng.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

let rand = prng(1);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];

const ROUTES = ['/webhooks/alertmanager', '/webhooks/grafana', '/webhooks/pagerduty', '/webhooks/sns'];

function routeFor(name: string): string {
  if (name.includes('alertmanager')) return '/webhooks/alertmanager';
  if (name.includes('grafana')) return '/webhooks/grafana';
  if (name.includes('pagerduty')) return '/webhooks/pagerduty';
  if (name.includes('sns')) return '/webhooks/sns';
  return pick(ROUTES);
}

function seeds(): Array<{ name: string; doc: unknown }> {
  const dirs = [
    join(ROOT, '../shared/payloads'),
    join(ROOT, 'test/lambdas/ingest/fixtures'),
    join(ROOT, 'examples/alerts'),
  ];
  const out: Array<{ name: string; doc: unknown }> = [];
  for (const dir of dirs.filter(existsSync)) {
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
      try {
        out.push({ name, doc: JSON.parse(readFileSync(join(dir, name), 'utf8')) });
      } catch {
        // Not JSON (a .jsonc schema): not a seed.
      }
    }
  }
  return out;
}

/** Every [container, key] in a JSON value, for picking a place to mutate. */
function slots(doc: unknown): Array<[Record<string, unknown> | unknown[], string | number]> {
  const out: Array<[Record<string, unknown> | unknown[], string | number]> = [];
  const stack: unknown[] = [doc];
  while (stack.length) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      v.forEach((x, i) => {
        out.push([v, i]);
        stack.push(x);
      });
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        out.push([v as Record<string, unknown>, k]);
        stack.push(x);
      }
    }
  }
  return out;
}

const LONE = ['\ud800', '\udfff', '\ud83d', 'a\udc00b'];
const big = (n: number) => 'x'.repeat(n);

const MUTATIONS: Record<string, (doc: unknown) => unknown> = {
  longString: (doc) => setRandom(doc, () => big(pick([3_000, 70_000, 205 * 1024, 240_000]))),
  loneSurrogate: (doc) => setRandom(doc, (v) => `${typeof v === 'string' ? v : ''}${pick(LONE)}`),
  wrongType: (doc) =>
    setRandom(doc, () => pick<unknown>([null, 0, -1, 1e308, true, [], {}, '', [[[]]], 'NaN'])),
  deleteKey: (doc) => {
    const s = slots(doc).filter(([c]) => !Array.isArray(c));
    if (s.length) {
      const [c, k] = pick(s);
      delete (c as Record<string, unknown>)[k as string];
    }
    return doc;
  },
  duplicateArray: (doc) => {
    const arrays = slots(doc).filter(([c]) => Array.isArray(c));
    if (arrays.length) {
      const [c] = pick(arrays);
      const arr = c as unknown[];
      const copies = pick([2, 50, 500]);
      for (let i = 0; i < copies && arr.length < 2_000; i++) arr.push(structuredClone(arr[i % arr.length]));
    }
    return doc;
  },
  deepNesting: (doc) => {
    let nested: unknown = 'bottom';
    for (let i = 0; i < pick([40, 1_000, 20_000]); i++) nested = [nested];
    return setRandom(doc, () => nested);
  },
  manyKeys: (doc) =>
    setRandom(doc, () => Object.fromEntries(Array.from({ length: 3_000 }, (_, i) => [`k${i}`, big(30)]))),
  unicode: (doc) => setRandom(doc, () => '🔥'.repeat(pick([1, 1_000, 60_000])) + '\u0000\u202e'),
  longId: (doc) => {
    const ids = slots(doc).filter(
      ([, k]) => typeof k === 'string' && /id$|fingerprint|alarmName|ruleUrl|groupKey/i.test(k),
    );
    if (ids.length) {
      const [c, k] = pick(ids);
      (c as Record<string, unknown>)[k as string] = `${big(pick([1_100, 3_000, 50_000]))}${rand()}`;
    }
    return doc;
  },
};

function setRandom(doc: unknown, value: (old: unknown) => unknown): unknown {
  const s = slots(doc);
  if (!s.length) return value(doc);
  const [c, k] = pick(s);
  (c as Record<string | number, unknown>)[k] = value((c as Record<string | number, unknown>)[k]);
  return doc;
}

/** One request body: a mutated seed as JSON text, or raw damage to the text itself. */
function body(seed: { doc: unknown }): { text: string | Buffer; mutation: string } {
  const r = rand();
  if (r < 0.05) {
    const text = JSON.stringify(seed.doc);
    return { text: text.slice(0, Math.floor(rand() * text.length)), mutation: 'cutJson' };
  }
  if (r < 0.08) {
    return {
      text: Buffer.from(Array.from({ length: pick([0, 1, 100, 10_000]) }, () => Math.floor(rand() * 256))),
      mutation: 'randomBytes',
    };
  }
  let doc = structuredClone(seed.doc);
  const names: string[] = [];
  for (let i = 0; i < 1 + Math.floor(rand() * 3); i++) {
    const name = pick(Object.keys(MUTATIONS));
    names.push(name);
    doc = MUTATIONS[name](doc);
  }
  return { text: JSON.stringify(doc) ?? 'null', mutation: names.join('+') };
}

/** One request as the sender posts it; `index` is its place in the seed's sequence. */
export interface FuzzRequest {
  index: number;
  route: string;
  /** The route without its query, for counting. */
  label: string;
  method: string;
  body?: Uint8Array;
  mutation: string;
}

/** Request `i` of the sequence; call in order from 0, as each one draws from the generator. */
function build(i: number, pool: Array<{ name: string; doc: unknown }>): FuzzRequest {
  const seed = pick(pool);
  let route: string;
  let method = 'POST';
  let text: string | Buffer | undefined;
  let mutation: string;
  if (i % 50 === 49) {
    // The approval route: forged, expired and malformed links.
    const q = `d=${pick(['approve', 'reject', '', big(3000)])}&exp=${pick(['1', '-1', 'x', '9'.repeat(400)])}&n=${pick(['n', ''])}&sig=${pick(['forged', '', big(5000)])}`;
    route = `/approvals/${pick(['inc-20261120-1004-abcd', '..%2F..', big(2000), '%ED%A0%80'])}`;
    method = pick(['GET', 'POST']);
    rand(); // a draw with no effect, kept so that each seed builds the requests it always built
    route = `${route}?${q}`;
    mutation = 'approvalLink';
  } else {
    const b = body(seed);
    route = rand() < 0.85 ? routeFor(seed.name) : pick(ROUTES);
    text = b.text;
    mutation = b.mutation;
  }
  const label = route.split('?')[0].startsWith('/approvals/') ? '/approvals/' : route;
  // As fetch would send a string: UTF-8, a lone surrogate as U+FFFD. Its own buffer, to transfer.
  const bytes =
    text === undefined
      ? undefined
      : typeof text === 'string'
        ? new TextEncoder().encode(text)
        : new Uint8Array(text);
  return { index: i, route, label, method, ...(bytes ? { body: bytes } : {}), mutation };
}

/**
 * The worker: builds requests 0..count-1 in order and posts those in `only` (all without it),
 * keeping at most `ahead` posted and not yet taken (the sender posts 1 back for each it takes).
 * Posts null at the end.
 */
async function generate(opts: { seed: number; count: number; only?: number[]; ahead: number }) {
  const port = parentPort;
  if (!port) throw new Error('fuzz-payloads runs as a worker thread');
  rand = prng(opts.seed);
  const only = opts.only ? new Set(opts.only) : undefined;
  const pool = seeds();
  let credit = opts.ahead;
  let wake: (() => void) | undefined;
  port.on('message', (n: number) => {
    credit += n;
    wake?.();
  });
  for (let i = 0; i < opts.count; i++) {
    const req = build(i, pool);
    if (only && !only.has(i)) continue;
    while (credit <= 0) await new Promise<void>((resolve) => (wake = resolve));
    credit--;
    port.postMessage(req, req.body ? [req.body.buffer as ArrayBuffer] : []);
  }
  port.postMessage(null);
}

export const seedCount = () => seeds().length;

if (!isMainThread && workerData?.fuzz) await generate(workerData.fuzz);
