/**
 * Benchmark: one incident through the whole local pipeline with the Claude analyst, against a fake
 * Messages API on 127.0.0.1 whose every call takes a fixed latency. Prints JSON with the wall time,
 * the sum of the model calls' latencies and the critical path (the longest chain of dependent calls:
 * triage → the slowest specialist's conversation → synthesis → postmortem). If the specialists run in
 * parallel, wall time stays close to the critical path; run in series it would approach the sum.
 *
 *   npm run bench:pipeline                     # 2000 ms per call, six specialists
 *   npm run bench:pipeline -- --latency 500 --scenario examples/scenarios/<file>.json
 */
import '../local/polyfills.js';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { anthropicClient } from '../domain/analyst/claude/client.js';
import { ClaudeAnalyst } from '../domain/analyst/claude/index.js';
import { OfflineAnalyst } from '../domain/analyst/offline/index.js';
import { SPECIALISTS } from '../domain/model.js';
import { prepare, runIncident } from '../local/runner.js';
import { type FakeServer, startFakeMessagesApi } from '../test/domain/analyst/claude/fake-messages-api.js';
import { scriptedModel } from '../test/domain/analyst/claude/scripted-models.js';

const { values } = parseArgs({
  options: {
    latency: { type: 'string', default: '2000' },
    scenario: { type: 'string', default: 'examples/scenarios/checkout-5xx-after-deploy.json' },
  },
});
const latencyMs = Number(values.latency);
if (!Number.isFinite(latencyMs) || latencyMs < 0)
  throw new Error('--latency must be a number of milliseconds');

/** Critical path from the server's record: stages run one after another, specialists side by side. */
function analyse(server: FakeServer) {
  const chains = new Map<string, number>();
  for (const t of server.timings) chains.set(t.role, (chains.get(t.role) ?? 0) + (t.end - t.start));
  const specialistChains = [...chains].filter(([role]) => role.startsWith('specialist:'));
  const longestSpecialist = Math.max(0, ...specialistChains.map(([, ms]) => ms));
  const criticalPathMs =
    (chains.get('triage') ?? 0) +
    longestSpecialist +
    (chains.get('synthesis') ?? 0) +
    (chains.get('postmortem') ?? 0);
  const sumOfModelCallsMs = server.timings.reduce((sum, t) => sum + (t.end - t.start), 0);
  // Most calls in flight at once: six means the specialists really overlapped.
  const edges = server.timings.flatMap((t) => [
    [t.start, 1],
    [t.end, -1],
  ]);
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let inFlight = 0;
  let maxInFlight = 0;
  for (const [, d] of edges) {
    inFlight += d;
    maxInFlight = Math.max(maxInFlight, inFlight);
  }
  // The investigation stage alone: from the first specialist call to the last, against its longest chain.
  const spec = server.timings.filter((t) => t.role.startsWith('specialist:'));
  const specialistStage = spec.length
    ? {
        wallMs: Math.max(...spec.map((t) => t.end)) - Math.min(...spec.map((t) => t.start)),
        longestChainMs: longestSpecialist,
        sumMs: spec.reduce((sum, t) => sum + (t.end - t.start), 0),
      }
    : undefined;
  return {
    specialistStage,
    calls: server.timings.length,
    callsByStep: Object.fromEntries([
      ...server.timings.reduce((m, t) => m.set(t.role, (m.get(t.role) ?? 0) + 1), new Map<string, number>()),
    ]),
    criticalPathMs,
    sumOfModelCallsMs,
    maxConcurrentCalls: maxInFlight,
  };
}

async function once(scenarioDoc: unknown, latency: number) {
  const server = await startFakeMessagesApi(
    scriptedModel({ latencyMs: latency, specialists: [...SPECIALISTS] }),
  );
  const dataDir = await mkdtemp(join(tmpdir(), 'firebreak-bench-'));
  try {
    const client = anthropicClient({ apiKey: 'bench', baseURL: server.url, maxRetries: 0 });
    const started = performance.now();
    const summary = await runIncident(prepare(scenarioDoc), {
      dataDir,
      approve: 'auto',
      analyst: (evidence) => new ClaudeAnalyst({ client, evidence, fallback: new OfflineAnalyst(evidence) }),
    });
    const ended = performance.now();
    const wallMs = Math.round(ended - started);
    // Where the time outside model calls went: before the first call, between calls, after the last.
    const origin = performance.timeOrigin;
    const first = Math.min(...server.timings.map((t) => t.start));
    const last = Math.max(...server.timings.map((t) => t.end));
    const outside = {
      beforeFirstCallMs: Math.round(first - (origin + started)),
      afterLastCallMs: Math.round(origin + ended - last),
    };
    return { wallMs, summary, outside, ...analyse(server) };
  } finally {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const doc = JSON.parse(await readFile(values.scenario, 'utf8'));
// A first run warms the process (module loading, JIT) so the measured run reflects steady state.
const warm = await once(doc, 0);
const run = await once(doc, latencyMs);
const ratio = run.wallMs / run.criticalPathMs;
process.stdout.write(
  `${JSON.stringify(
    {
      benchmark: 'pipeline',
      scenario: values.scenario,
      latencyPerCallMs: latencyMs,
      wallMs: run.wallMs,
      sumOfModelCallsMs: run.sumOfModelCallsMs,
      criticalPathMs: run.criticalPathMs,
      wallOverCriticalPath: Math.round(ratio * 1000) / 1000,
      withinBound: ratio <= 1.2,
      pipelineOverheadMs: run.wallMs - run.criticalPathMs,
      overheadOutsideModelCalls: run.outside,
      maxConcurrentCalls: run.maxConcurrentCalls,
      specialistStage: run.specialistStage,
      calls: run.calls,
      callsByStep: run.callsByStep,
      outcome: {
        status: run.summary.status,
        category: run.summary.category,
        mitigation: run.summary.mitigation.action,
        executionStatus: run.summary.executionStatus,
      },
      warmupWallMs: warm.wallMs,
      node: process.version,
    },
    null,
    2,
  )}\n`,
);
