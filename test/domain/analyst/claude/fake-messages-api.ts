/**
 * A fake Anthropic Messages API on 127.0.0.1 for tests and the benchmark: node:http, scripted per
 * request. A script sees each request (parsed body, path, headers, its sequence number) and answers
 * with a message, an HTTP error, a raw body, or silence for a while (a slow model).
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRequest {
  path: string;
  headers: IncomingHttpHeaders;
  // biome-ignore lint/suspicious/noExplicitAny: a request body is whatever the client sent
  body: any;
  /** 1-based order of arrival. */
  n: number;
  receivedAt: number;
}

export type ContentBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown };

export type FakeReply =
  | {
      content: ContentBlock[];
      stop_reason?: string;
      usage?: Partial<
        Record<
          'input_tokens' | 'output_tokens' | 'cache_read_input_tokens' | 'cache_creation_input_tokens',
          number
        >
      >;
      delayMs?: number;
    }
  | {
      status: number;
      errorType?: string;
      message?: string;
      headers?: Record<string, string>;
      delayMs?: number;
    }
  | { raw: string; status?: number; delayMs?: number }
  /** Accepts the request and never answers (a model that hangs). */
  | { hang: true }
  /** Answers 200 and then one byte of a never-finished body every `everyMs` (a stalled stream). */
  | { trickleEveryMs: number };

export type Script = (req: FakeRequest) => FakeReply | Promise<FakeReply>;

/** What the simulated prompt cache and token estimate made of one answered request. */
export interface UsageRecord {
  n: number;
  model: string;
  role: string;
  /** Tokens of the static prefix (tools + system). */
  prefixTokens: number;
  /** Part of the static prefix served from the cache. */
  prefixRead: number;
  input: number;
  cacheRead: number;
  cacheWrite: number;
  output: number;
}

export interface FakeOptions {
  /**
   * `fixed` (the default for tests): every answer reports 200 input and 50 output tokens, and the
   * system prompt alone is cached. `estimate`: tokens are estimated at 4 characters each and the
   * prompt cache is simulated the way the API documents it — prefixes up to each cache_control
   * breakpoint, a 20-block look-back, and a minimum cacheable length per model.
   */
  tokens?: 'fixed' | 'estimate';
  /** Minimum cacheable prefix in tokens for a model (Haiku 4.5: 4,096; Sonnet: 1,024). */
  cacheMinimum?: (model: string) => number;
}

export const DEFAULT_CACHE_MINIMUM = (model: string): number => (/haiku/i.test(model) ? 4096 : 1024);

const tokensOf = (chars: number) => Math.ceil(chars / 4);

/**
 * The prompt cache as documented: the request is a sequence of blocks (tools, then system, then each
 * message's content); a breakpoint writes the prefix through its block; a later request reads the
 * longest stored prefix ending at most 20 blocks before one of its breakpoints.
 */
function simulateCache(
  body: { model?: string; tools?: unknown[]; system?: unknown; messages?: unknown[] },
  store: Set<string>,
  minimum: number,
) {
  const blocks: Array<{ json: string; breakpoint: boolean; static: boolean }> = [];
  const push = (b: unknown, isStatic: boolean) => {
    const { cache_control, ...rest } = (b ?? {}) as Record<string, unknown>;
    blocks.push({ json: JSON.stringify(rest), breakpoint: !!cache_control, static: isStatic });
  };
  for (const t of body.tools ?? []) push(t, true);
  const system =
    typeof body.system === 'string' ? [{ type: 'text', text: body.system }] : (body.system ?? []);
  for (const b of system as unknown[]) push(b, true);
  for (const m of (body.messages ?? []) as Array<{ role: string; content: unknown }>) {
    const content = typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : m.content;
    for (const b of content as unknown[]) push({ role: m.role, ...(b as object) }, false);
  }
  const hash = createHash('sha256');
  let chars = 0;
  const prefix: Array<{ key: string; tokens: number }> = [];
  for (const b of blocks) {
    hash.update(b.json);
    chars += b.json.length;
    prefix.push({ key: hash.copy().digest('hex'), tokens: tokensOf(chars) });
  }
  const total = tokensOf(chars);
  const staticEnd = blocks.filter((b) => b.static).length - 1;
  const prefixTokens = staticEnd >= 0 ? prefix[staticEnd].tokens : 0;
  const breakpoints = blocks.flatMap((b, i) => (b.breakpoint ? [i] : []));
  let read = 0;
  for (const bp of breakpoints) {
    for (let i = bp; i >= Math.max(0, bp - 20); i--) {
      if (store.has(prefix[i].key)) {
        read = Math.max(read, prefix[i].tokens);
        break;
      }
    }
  }
  let written = 0;
  for (const bp of breakpoints) {
    if (prefix[bp].tokens < minimum) continue;
    store.add(prefix[bp].key);
    written = Math.max(written, prefix[bp].tokens - read);
  }
  return {
    prefixTokens,
    prefixRead: Math.min(read, prefixTokens),
    cacheRead: read,
    cacheWrite: Math.max(0, written),
    input: Math.max(0, total - read - Math.max(0, written)),
  };
}

export interface FakeServer {
  url: string;
  requests: FakeRequest[];
  /** Per answered request, in `estimate` mode: tokens, cache reads and writes. */
  usage: UsageRecord[];
  /** Start and end of every answered request, for the benchmark. */
  timings: Array<{ n: number; start: number; end: number; role: string }>;
  /** What was answered to each request, by its sequence number. */
  replies: Map<number, FakeReply>;
  close(): Promise<void>;
}

let ids = 0;
export const toolUse = (name: string, input: unknown): ContentBlock => ({
  type: 'tool_use',
  id: `toolu_${(++ids).toString(36).padStart(6, '0')}`,
  name,
  input,
});
export const text = (t: string): ContentBlock => ({ type: 'text', text: t });

/** Which step sent a request: triage, synthesis, postmortem or `specialist:<concern>`. */
export function roleOf(req: FakeRequest): string {
  const tools: Array<{ name: string }> = req.body?.tools ?? [];
  const names = new Set(tools.map((t) => t.name));
  if (names.has('submit_triage')) return 'triage';
  if (names.has('submit_root_cause')) return 'synthesis';
  // Specialists share one system prompt and tool list; the concern is in the first message.
  const opening = JSON.stringify(req.body?.messages?.[0]?.content ?? '');
  const m = /You are the ([A-Z]+) specialist/.exec(opening);
  if (m) return `specialist:${m[1].toLowerCase()}`;
  if (!tools.length) return 'postmortem';
  return 'unknown';
}

const DATA = /<data source="([^"]+)" trust="untrusted">\n([\s\S]*?)\n<\/data>/g;

/** Every `<data>` envelope in the conversation, parsed, in order. */
export function dataBlocks(req: FakeRequest): Array<{ source: string; value: unknown }> {
  const out: Array<{ source: string; value: unknown }> = [];
  const texts: string[] = [];
  for (const m of req.body?.messages ?? []) {
    if (typeof m.content === 'string') texts.push(m.content);
    else
      for (const b of m.content) {
        if (b.type === 'text') texts.push(b.text);
        if (b.type === 'tool_result')
          texts.push(typeof b.content === 'string' ? b.content : JSON.stringify(b.content));
      }
  }
  for (const t of texts) {
    for (const match of t.matchAll(DATA)) {
      try {
        out.push({ source: match[1], value: JSON.parse(match[2]) });
      } catch {
        out.push({ source: match[1], value: match[2] });
      }
    }
  }
  return out;
}

/** Number of assistant turns so far in this conversation (0 on the first call of a step). */
export const turnOf = (req: FakeRequest): number =>
  (req.body?.messages ?? []).filter((m: { role: string }) => m.role === 'assistant').length;

export async function startFakeMessagesApi(script: Script, options: FakeOptions = {}): Promise<FakeServer> {
  const requests: FakeRequest[] = [];
  const usage: UsageRecord[] = [];
  const store = new Set<string>();
  const minimumFor = options.cacheMinimum ?? DEFAULT_CACHE_MINIMUM;
  const timings: FakeServer['timings'] = [];
  const replies: FakeServer['replies'] = new Map();
  const cached = new Set<string>();
  let n = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const start = Date.now();
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      } catch {
        body = undefined;
      }
      const request: FakeRequest = {
        path: req.url ?? '',
        headers: req.headers,
        body,
        n: ++n,
        receivedAt: start,
      };
      requests.push(request);
      let reply: FakeReply;
      try {
        reply = await script(request);
      } catch (err) {
        reply = { status: 500, message: String(err) };
      }
      replies.set(request.n, reply);
      if ('delayMs' in reply && reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
      if (res.destroyed || res.writableEnded) return;
      if ('hang' in reply) return;
      if ('trickleEveryMs' in reply) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"id":"msg_trickle","type":"message","content":[');
        const drip = setInterval(() => res.write(' '), reply.trickleEveryMs);
        res.on('close', () => clearInterval(drip));
        return;
      }
      timings.push({ n: request.n, start, end: Date.now(), role: roleOf(request) });
      if ('raw' in reply) {
        res.writeHead(reply.status ?? 200, { 'content-type': 'application/json' }).end(reply.raw);
        return;
      }
      if ('status' in reply) {
        res
          .writeHead(reply.status, {
            'content-type': 'application/json',
            'retry-after-ms': '1',
            ...reply.headers,
          })
          .end(
            JSON.stringify({
              type: 'error',
              error: { type: reply.errorType ?? 'api_error', message: reply.message ?? 'error' },
            }),
          );
        return;
      }
      // Simulated prompt cache: the first request with a given system prompt writes it, later ones read it.
      const system = JSON.stringify((body as { system?: unknown })?.system ?? '');
      const prefix = Math.ceil(system.length / 4);
      const hit = cached.has(system);
      cached.add(system);
      let reported: Record<string, number> = {
        input_tokens: 200,
        output_tokens: 50,
        cache_read_input_tokens: hit ? prefix : 0,
        cache_creation_input_tokens: hit ? 0 : prefix,
      };
      if (options.tokens === 'estimate') {
        const model = (body as { model?: string })?.model ?? 'fake';
        const sim = simulateCache(body as Parameters<typeof simulateCache>[0], store, minimumFor(model));
        const output = tokensOf(JSON.stringify(reply.content).length);
        usage.push({ n: request.n, model, role: roleOf(request), ...sim, output });
        reported = {
          input_tokens: sim.input,
          output_tokens: output,
          cache_read_input_tokens: sim.cacheRead,
          cache_creation_input_tokens: sim.cacheWrite,
        };
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          id: `msg_${request.n}`,
          type: 'message',
          role: 'assistant',
          model: (body as { model?: string })?.model ?? 'fake',
          content: reply.content,
          stop_reason:
            reply.stop_reason ?? (reply.content.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn'),
          stop_sequence: null,
          usage: { ...reported, ...reply.usage },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    usage,
    timings,
    replies,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
