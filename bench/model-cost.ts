/**
 * Benchmark: what the Claude path costs per incident. Each scenario runs through the whole local
 * pipeline with the Claude analyst (all six specialists) against a recording fake Messages API that
 * estimates tokens (4 characters each: the fake has no tokenizer, and says so) and simulates the
 * prompt cache as documented (breakpoints, 20-block look-back, 4,096-token minimum on Haiku, 1,024 on
 * Sonnet). The cache starts cold for every incident. Prints one JSON document: per incident, calls by
 * model, input/output/cached tokens, the cost from the price table and the static prefix's hit rate.
 *
 *   npm run bench:model-cost
 *   npm run bench:model-cost -- --scenario examples/scenarios/<file>.json [--scenario …]
 */
import '../local/polyfills.js';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { anthropicClient } from '../domain/analyst/claude/client.js';
import { ClaudeAnalyst } from '../domain/analyst/claude/index.js';
import { costOf, priceFor } from '../domain/analyst/claude/pricing.js';
import { OfflineAnalyst } from '../domain/analyst/offline/index.js';
import { SPECIALISTS } from '../domain/model.js';
import { prepare, runIncident } from '../local/runner.js';
import { startFakeMessagesApi, type UsageRecord } from '../test/domain/analyst/claude/fake-messages-api.js';
import { scriptedModel } from '../test/domain/analyst/claude/scripted-models.js';

const { values } = parseArgs({
  options: {
    scenario: {
      type: 'string',
      multiple: true,
      default: [
        'examples/scenarios/checkout-5xx-after-deploy.json',
        'examples/scenarios/identity-api-credential-stuffing.json',
        'examples/scenarios/data-export-leaked-access-key.json',
      ],
    },
    'fast-model': { type: 'string', default: 'claude-haiku-4-5' },
    'strong-model': { type: 'string', default: 'claude-sonnet-5' },
  },
});

const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;

function summarise(records: UsageRecord[]) {
  const byModel: Record<
    string,
    {
      calls: number;
      input: number;
      uncached: number;
      cacheRead: number;
      cacheWrite: number;
      output: number;
      costUsd: number | null;
      price?: string;
    }
  > = {};
  for (const r of records) {
    byModel[r.model] ??= {
      calls: 0,
      input: 0,
      uncached: 0,
      cacheRead: 0,
      cacheWrite: 0,
      output: 0,
      costUsd: 0,
    };
    const m = byModel[r.model];
    m.calls++;
    m.uncached += r.input;
    m.cacheRead += r.cacheRead;
    m.cacheWrite += r.cacheWrite;
    m.input += r.input + r.cacheRead + r.cacheWrite;
    m.output += r.output;
  }
  for (const [model, m] of Object.entries(byModel)) {
    const price = priceFor(model);
    m.costUsd = price ? round(costOf(price, m)) : null;
    if (price?.assumed) m.price = price.assumed;
  }
  const sum = (k: 'input' | 'cacheRead' | 'cacheWrite' | 'output' | 'uncached') =>
    Object.values(byModel).reduce((n, m) => n + m[k], 0);
  const prefixSent = records.reduce((n, r) => n + r.prefixTokens, 0);
  const prefixRead = records.reduce((n, r) => n + r.prefixRead, 0);
  const byStep: Record<string, number> = {};
  for (const r of records) {
    const step = r.role.startsWith('specialist:') ? 'specialists' : r.role;
    byStep[step] = (byStep[step] ?? 0) + 1;
  }
  const costs = Object.values(byModel).map((m) => m.costUsd);
  return {
    calls: records.length,
    callsByModel: Object.fromEntries(Object.entries(byModel).map(([k, m]) => [k, m.calls])),
    callsByStep: byStep,
    tokens: {
      input: sum('input'),
      uncachedInput: sum('uncached'),
      cachedInput: sum('cacheRead'),
      cacheWrite: sum('cacheWrite'),
      output: sum('output'),
    },
    costUsd: costs.every((c) => c !== null)
      ? round(costs.reduce((a, b) => (a ?? 0) + (b ?? 0), 0) ?? 0)
      : null,
    byModel,
    cache: {
      staticPrefixTokensSent: prefixSent,
      staticPrefixTokensRead: prefixRead,
      staticPrefixHitRate: prefixSent ? round(prefixRead / prefixSent, 3) : 0,
      inputHitRate: sum('input') ? round(sum('cacheRead') / sum('input'), 3) : 0,
    },
  };
}

async function once(file: string) {
  const doc = JSON.parse(await readFile(file, 'utf8'));
  const server = await startFakeMessagesApi(scriptedModel({ specialists: [...SPECIALISTS] }), {
    tokens: 'estimate',
  });
  const dataDir = await mkdtemp(join(tmpdir(), 'firebreak-cost-'));
  const degraded: string[] = [];
  try {
    const client = anthropicClient({ apiKey: 'bench', baseURL: server.url, maxRetries: 0 });
    const summary = await runIncident(prepare(doc), {
      dataDir,
      approve: 'auto',
      analyst: (evidence) =>
        new ClaudeAnalyst({
          client,
          evidence,
          fallback: new OfflineAnalyst(evidence),
          options: { fastModel: values['fast-model'], strongModel: values['strong-model'] },
          onDegraded: (d) => degraded.push(`${d.step}: ${d.reason}`),
        }),
    });
    return {
      scenario: file,
      outcome: {
        status: summary.status,
        category: summary.category,
        executionStatus: summary.executionStatus,
      },
      degradedSteps: degraded,
      ...summarise(server.usage),
    };
  } finally {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const incidents = [];
for (const file of values.scenario ?? []) incidents.push(await once(file));
const all = incidents.flatMap((i) => [i.cache]);
const sent = all.reduce((n, c) => n + c.staticPrefixTokensSent, 0);
const read = all.reduce((n, c) => n + c.staticPrefixTokensRead, 0);
process.stdout.write(
  `${JSON.stringify(
    {
      benchmark: 'model-cost',
      tokenCounting: 'estimate: 4 characters per token (the fake Messages API has no tokenizer)',
      cache: 'simulated per the API docs, cold at the start of each incident',
      models: { fast: values['fast-model'], strong: values['strong-model'] },
      incidents,
      totals: {
        calls: incidents.reduce((n, i) => n + i.calls, 0),
        costUsd: round(incidents.reduce((n, i) => n + (i.costUsd ?? 0), 0)),
        staticPrefixHitRate: sent ? round(read / sent, 3) : 0,
      },
    },
    null,
    2,
  )}\n`,
);
