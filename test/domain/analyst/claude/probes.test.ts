/**
 * The probes that got unsupported conclusions and runaway loops through, each against the fake
 * Messages API: every one must now fail closed (set aside with its reason, stopped within its bounds,
 * or forced to answer). Where a check could pass for the wrong reason, a grounded twin shows it passes.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { anthropicClient } from '../../../../domain/analyst/claude/client.js';
import { ClaudeAnalyst } from '../../../../domain/analyst/claude/index.js';
import type { ClaudeOptionsInput } from '../../../../domain/analyst/claude/options.js';
import { ACTION_PARAMETERS, SYNTHESIS_PROMPT } from '../../../../domain/analyst/claude/prompts.js';
import { OfflineAnalyst } from '../../../../domain/analyst/offline/index.js';
import { vetAction } from '../../../../domain/mitigation/allow-list.js';
import { ACTION_KINDS } from '../../../../domain/model.js';
import type { Evidence } from '../../../../domain/ports.js';
import {
  dataBlocks,
  type FakeRequest,
  type FakeServer,
  roleOf,
  type Script,
  startFakeMessagesApi,
  text,
  toolUse,
  turnOf,
} from './fake-messages-api.js';
import { fixture, scenarioContext } from './scenario-context.js';

const checkout = fixture('checkout-deploy.json');
const example = (name: string) =>
  Scenario.parse(JSON.parse(readFileSync(`examples/scenarios/${name}.json`, 'utf8')));

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Counts the Evidence questions asked, to prove a duplicate call was not run again. */
function counting(env: Evidence) {
  const counts: Record<string, number> = {};
  const wrap =
    <K extends keyof Evidence>(k: K) =>
    (...args: unknown[]) => {
      counts[k] = (counts[k] ?? 0) + 1;
      return (env[k] as (...a: unknown[]) => unknown).apply(env, args);
    };
  const evidence = Object.fromEntries(
    (['services', 'metrics', 'logs', 'changes', 'alarms', 'security', 'alarmState'] as const).map((k) => [
      k,
      wrap(k),
    ]),
  ) as unknown as Evidence;
  return { evidence, counts };
}

async function setup(script: Script, opts: { scenario?: Scenario; options?: ClaudeOptionsInput } = {}) {
  server = await startFakeMessagesApi(script);
  const { env, ctx } = scenarioContext(opts.scenario ?? checkout);
  const { evidence, counts } = counting(env);
  const degraded: Array<{ step: string; reason: string; message: string }> = [];
  const analyst = new ClaudeAnalyst({
    client: anthropicClient({ apiKey: 'k', baseURL: server.url, maxRetries: 0 }),
    evidence,
    fallback: new OfflineAnalyst(env),
    options: { fastModel: 'fast-model', strongModel: 'strong-model', ...opts.options },
    onDegraded: (d) => degraded.push(d),
  });
  return { server, analyst, ctx, degraded, counts, offline: new OfflineAnalyst(env) };
}

const items = (req: FakeRequest, tool?: string) =>
  dataBlocks(req)
    .filter((d) => d.source.startsWith(`tool:${tool ?? ''}`))
    .flatMap((d) => (d.value as { items?: Array<Record<string, unknown>> }).items ?? []);

/** A synthesis that first reads the given tools, then submits what `answer` builds from what it saw. */
const synthesis =
  (tools: string[], answer: (req: FakeRequest) => Record<string, unknown>): Script =>
  (req) =>
    turnOf(req) === 0 && tools.length
      ? { content: tools.map((t) => toolUse(t, {})) }
      : { content: [toolUse('submit_root_cause', answer(req))] };

const withSecurity = (detail: string): Scenario => {
  const s = structuredClone(checkout);
  (s.environment as Record<string, unknown>).securityEvents = [
    { timestamp: '2026-03-10T14:01:00Z', kind: 'failed-login', source: 'checkout', count: 4200, detail },
  ];
  return s;
};

describe('grounding refuses unsupported conclusions', () => {
  it('sets aside a made-up culprit with a made-up id and an open-world block, naming both failures', async () => {
    const { analyst, ctx, degraded, offline } = await setup(
      synthesis([], () => ({
        category: 'security',
        culprit: 'evil-corp-ddos',
        summary: 'a DDoS by evil corp',
        confidence: 0.97,
        evidence: ['security:made-up@2026-03-10T14:00:00.000Z'],
        mitigation: { kind: 'block-traffic', target: 'checkout', params: { cidr: '0.0.0.0/0' } },
      })),
    );
    const result = await analyst.synthesize([], ctx);
    expect(result.degraded).toBe(true);
    expect(degraded[0].reason).toBe('ungrounded');
    expect(degraded[0].message).toContain('culprit "evil-corp-ddos" names nothing');
    expect(degraded[0].message).toContain('block-traffic of checkout: no cited evidence names it');
    expect(result.value.category).toBe((await offline.synthesize([], ctx)).value.category);
    expect(result.value.culprit).not.toContain('evil');
  });

  it('refuses a failover nothing in the evidence supports', async () => {
    const { analyst, ctx, degraded } = await setup(
      synthesis([], () => ({
        category: 'dependency',
        culprit: 'payments-api',
        summary: 'payments-api is down',
        confidence: 0.9,
        mitigation: { kind: 'failover', target: 'payments-api', params: {} },
      })),
    );
    const result = await analyst.synthesize([], ctx);
    expect(result.degraded).toBe(true);
    expect(degraded[0].message).toContain('category dependency needs metric or log or alarm evidence');
    expect(degraded[0].message).toContain('failover of payments-api: no cited evidence names it');
  });

  it('bounds a block to the evidence sources: /24 over them passes, /16 is wider and is refused', async () => {
    const scenario = withSecurity(
      'credential stuffing on checkout from 203.0.113.7, 203.0.113.45 and 203.0.113.90',
    );
    const answer = (cidr: string) =>
      synthesis(['security_signals'], (req) => ({
        category: 'security',
        culprit: 'checkout',
        summary: 'credential stuffing against checkout',
        confidence: 0.8,
        evidence: items(req, 'security_signals').map((i) => i.id),
        mitigation: { kind: 'block-traffic', target: 'checkout', params: { cidr } },
      }));
    const ok = await setup(answer('203.0.113.0/25'), { scenario });
    const accepted = await ok.analyst.synthesize([], ok.ctx);
    expect(ok.degraded).toEqual([]);
    expect(accepted.value.mitigation?.params).toEqual({ cidr: '203.0.113.0/25' });
    await server?.close();

    const wide = await setup(answer('203.0.0.0/16'), { scenario });
    const refused = await wide.analyst.synthesize([], wide.ctx);
    expect(refused.degraded).toBe(true);
    expect(wide.degraded[0].message).toMatch(
      /cidr=203\.0\.0\.0\/16 is wider than the evidence's sources \(\/25/,
    );
  });

  it('refuses a scale beyond the configured factor and an absolute count with no current level', async () => {
    const cite = (req: FakeRequest) =>
      items(req, 'get_metrics')
        .filter((i) => i.service === 'checkout')
        .map((i) => i.id)
        .slice(0, 2);
    const huge = await setup(
      synthesis(['get_metrics'], (req) => ({
        category: 'capacity',
        culprit: 'checkout',
        summary: 'checkout needs capacity',
        confidence: 0.6,
        evidence: cite(req),
        mitigation: { kind: 'scale', target: 'checkout', params: { desiredCount: 10_000 } },
      })),
    );
    await huge.analyst.synthesize([], huge.ctx);
    expect(huge.degraded[0].message).toContain('desiredCount=10000 but no evidence shows the current level');
    await server?.close();

    const factor = await setup(
      synthesis(['get_metrics'], (req) => ({
        category: 'capacity',
        culprit: 'checkout',
        summary: 'checkout needs capacity',
        confidence: 0.6,
        evidence: cite(req),
        mitigation: { kind: 'scale', target: 'checkout', params: { factor: 50 } },
      })),
    );
    await factor.analyst.synthesize([], factor.ctx);
    expect(factor.degraded[0].message).toContain('factor 50 is outside (0, 3]');
  });

  it('rotates only a key the evidence names', async () => {
    const scenario = example('data-export-leaked-access-key');
    const rotate = (accessKeyId: string) =>
      synthesis(['security_signals'], (req) => ({
        category: 'security',
        culprit: 'svc-data-export',
        summary: 'a leaked key is being used',
        confidence: 0.9,
        evidence: items(req, 'security_signals').map((i) => i.id),
        mitigation: { kind: 'rotate-credentials', target: 'data-export', params: { accessKeyId } },
      }));
    const invented = await setup(rotate('AKIAINVENTED0000000'), { scenario });
    await invented.analyst.synthesize([], invented.ctx);
    expect(invented.degraded[0].message).toContain(
      'accessKeyId=AKIAINVENTED0000000 is not named by any evidence',
    );
    await server?.close();

    const real = await setup(rotate('AKIA4XQ2LMRT5K7Q7QXM'), { scenario });
    const result = await real.analyst.synthesize([], real.ctx);
    expect(real.degraded).toEqual([]);
    expect(result.value.mitigation?.params.accessKeyId).toBe('AKIA4XQ2LMRT5K7Q7QXM');
  });

  it('refuses a rollback of a change the evidence does not have', async () => {
    const { analyst, ctx, degraded } = await setup(
      synthesis(['list_changes'], () => ({
        category: 'deployment',
        culprit: 'checkout v187',
        summary: 'the deploy broke checkout',
        confidence: 0.8,
        evidence: ['deploy:checkout@v187'],
        mitigation: { kind: 'rollback', target: 'checkout', params: { change: 'change:made-up@2026' } },
      })),
    );
    await analyst.synthesize([], ctx);
    expect(degraded[0].message).toContain('change=change:made-up@2026 is not a change the evidence shows');
  });

  it('sets aside a change blamed for an incident that began before it', async () => {
    const late = structuredClone(checkout);
    const deploy = late.environment.deployments.find((d) => d.service === 'checkout');
    if (!deploy) throw new Error('fixture has no checkout deploy');
    deploy.startedAt = '2026-03-10T14:20:00Z';
    deploy.completedAt = '2026-03-10T14:25:00Z';
    const { analyst, ctx, degraded } = await setup(
      (req) =>
        turnOf(req) === 0
          ? { content: [toolUse('list_changes', { to: '2026-03-10T14:30:00Z' })] }
          : {
              content: [
                toolUse('submit_finding', {
                  hypotheses: [
                    {
                      category: 'deployment',
                      culprit: 'v187',
                      summary: 'v187 broke checkout',
                      confidence: 0.9,
                      evidence: ['deploy:checkout@v187'],
                    },
                  ],
                }),
              ],
            },
      { scenario: late },
    );
    const result = await analyst.investigate('changes', ctx);
    // The window ends at the alert, so the late deploy is not even visible: nothing cited survives.
    expect(result.degraded).toBe(true);
    expect(degraded[0].reason).toBe('ungrounded');
    expect(degraded[0].message).toMatch(/deployment \(v187\): category deployment needs deployment evidence/);
  });

  it('sets aside a category whose evidence is of another kind', async () => {
    const { analyst, ctx } = await setup((req) =>
      turnOf(req) === 0
        ? { content: [toolUse('get_metrics', {}), toolUse('search_logs', {})] }
        : {
            content: [
              toolUse('submit_finding', {
                hypotheses: [
                  {
                    category: 'code',
                    culprit: 'checkout',
                    summary: 'errors in checkout',
                    confidence: 0.5,
                    evidence: items(req, 'search_logs')
                      .slice(0, 1)
                      .map((i) => i.id),
                  },
                  {
                    category: 'security',
                    culprit: 'checkout',
                    summary: 'an attack',
                    confidence: 0.9,
                    evidence: items(req, 'get_metrics')
                      .slice(0, 1)
                      .map((i) => i.id),
                  },
                ],
              }),
            ],
          },
    );
    const result = await analyst.investigate('logs', ctx);
    expect(result.degraded).toBe(true);
    expect(result.value.hypotheses.map((h) => h.category)).toEqual(['code']);
    expect(result.value.ruledOut.at(-1)).toMatch(
      /^set aside by grounding: security \(checkout\): category security needs security or change evidence; it cites metric$/,
    );
  });

  it('keeps the security specialist when the window has security signals, whatever triage says', async () => {
    const { analyst, ctx } = await setup(
      () => ({
        content: [
          toolUse('submit_triage', {
            severity: 'SEV1',
            specialists: ['logs'],
            services: ['data-export'],
            rationale: 'a batch job failed',
          }),
        ],
      }),
      { scenario: example('data-export-leaked-access-key') },
    );
    const result = await analyst.triage(ctx);
    expect(result.value.specialists).toContain('security');
    expect(result.value.rationale).toContain('security specialist kept: the window has security signals');
  });
});

describe('the loop cannot run away', () => {
  it('runs at most six of sixty parallel tool calls and keeps the turn within its character budget', async () => {
    const { analyst, ctx, server, counts } = await setup((req) =>
      turnOf(req) === 0
        ? {
            content: Array.from({ length: 60 }, (_, i) =>
              toolUse('search_logs', { contains: `e${i % 30}`, services: [`s${i}`] }),
            ),
          }
        : { content: [toolUse('submit_finding', { hypotheses: [] })] },
    );
    const before = counts.logs ?? 0;
    await analyst.investigate('logs', ctx);
    const results = server.requests[1].body.messages.at(-1).content as Array<{
      content: string;
      is_error?: boolean;
    }>;
    expect(results).toHaveLength(60);
    expect(results.filter((r) => r.is_error)).toHaveLength(54);
    expect(results[59].content).toMatch(/^Not run: at most 6 tool calls run per turn \(60 asked\)/);
    // Six calls run (plus the baseline's two reads: the window, and the day before it for precursors).
    expect((counts.logs ?? 0) - before).toBe(6 + 2);
    const shown = results.filter((r) => !r.is_error).reduce((n, r) => n + r.content.length, 0);
    expect(shown).toBeLessThanOrEqual(24_000);
  });

  it('answers identical calls from a cache instead of running them again', async () => {
    const { analyst, ctx, server, counts } = await setup((req) =>
      turnOf(req) < 3
        ? {
            content: [
              toolUse('search_logs', { services: ['checkout'], contains: 'error' }),
              toolUse('search_logs', { contains: 'error', services: ['checkout'] }),
            ],
          }
        : { content: [toolUse('submit_finding', { hypotheses: [] })] },
    );
    const before = counts.logs ?? 0;
    const result = await analyst.investigate('logs', ctx);
    expect(result.degraded).toBeFalsy();
    // Six identical calls over three turns: one query, five answered "already shown" (plus the
    // baseline's two reads: the window, and the day before it).
    expect((counts.logs ?? 0) - before).toBe(1 + 2);
    const answers = server.requests
      .slice(1)
      .flatMap((r) => r.body.messages.at(-1).content as Array<{ content: string }>)
      .filter((b) => typeof b.content === 'string');
    expect(answers.filter((b) => b.content.startsWith('Already shown'))).toHaveLength(5);
  });

  it('withdraws the tools on the last step, so the model must answer', async () => {
    const { analyst, ctx, server } = await setup(
      (req) => {
        const offered = (req.body.tools as Array<{ name: string }>).map((t) => t.name);
        if (offered.includes('search_logs'))
          return { content: [toolUse('search_logs', { contains: `${turnOf(req)}` })] };
        return {
          content: [toolUse('submit_finding', { hypotheses: [], ruledOut: ['nothing in the logs'] })],
        };
      },
      { options: { specialistSteps: 3 } },
    );
    const result = await analyst.investigate('logs', ctx);
    expect(result.degraded).toBeFalsy();
    expect(result.value.ruledOut).toEqual(['nothing in the logs']);
    expect(server.requests).toHaveLength(3);
    expect(server.requests[2].body.tools.map((t: { name: string }) => t.name)).toEqual(['submit_finding']);
    expect(JSON.stringify(server.requests[2].body.messages.at(-1))).toContain('This is your last turn');
  });

  it('nudges once after a prose answer, and gives up after a second', async () => {
    const once = await setup((req) =>
      turnOf(req) === 0
        ? { content: [text('The logs show a surge of errors after the deploy.')] }
        : { content: [toolUse('submit_finding', { hypotheses: [], ruledOut: ['prose'] })] },
    );
    const nudged = await once.analyst.investigate('logs', once.ctx);
    expect(nudged.degraded).toBeFalsy();
    expect(JSON.stringify(once.server.requests[1].body.messages.at(-1))).toContain('Prose is not read');
    await server?.close();

    const twice = await setup(() => ({ content: [text('Still prose.')] }));
    const failed = await twice.analyst.investigate('logs', twice.ctx);
    expect(failed.degraded).toBe(true);
    expect(twice.server.requests).toHaveLength(2);
    expect(twice.degraded[0].reason).toBe('invalid-output');
  });

  it('nudges once after a max_tokens stop, dropping the cut-off turn', async () => {
    const { analyst, ctx, server } = await setup((req) =>
      turnOf(req) === 0 && !JSON.stringify(req.body.messages).includes('cut off')
        ? { content: [toolUse('submit_finding', { hypotheses: 'trunc' })], stop_reason: 'max_tokens' }
        : { content: [toolUse('submit_finding', { hypotheses: [] })] },
    );
    const result = await analyst.investigate('metrics', ctx);
    expect(result.degraded).toBeFalsy();
    const second = server.requests[1].body;
    expect(second.messages).toHaveLength(1);
    expect(JSON.stringify(second.messages[0])).toContain('cut off at the 2048-token output limit');
  });

  it('states max_tokens and thinking per model explicitly', async () => {
    const { analyst, ctx, server } = await setup((req) =>
      roleOf(req) === 'synthesis'
        ? { content: [toolUse('submit_root_cause', { category: 'unknown', summary: 's', confidence: 0.1 })] }
        : { content: [toolUse('submit_finding', { hypotheses: [] })] },
    );
    await analyst.investigate('logs', ctx);
    await analyst.synthesize([], ctx);
    const [fast, strong] = server.requests.map((r) => r.body);
    expect(fast).toMatchObject({ model: 'fast-model', max_tokens: 2048, thinking: { type: 'disabled' } });
    expect(strong).toMatchObject({ model: 'strong-model', max_tokens: 4096, thinking: { type: 'disabled' } });
  });

  it('measures a request before sending it: one past the context window is never sent', async () => {
    const { analyst, ctx, server, degraded } = await setup(
      () => ({ content: [toolUse('submit_finding', { hypotheses: [] })] }),
      { options: { fastProfile: { maxOutputTokens: 2048, contextTokens: 5000 } } },
    );
    const result = await analyst.investigate('logs', ctx);
    expect(server.requests).toHaveLength(0);
    expect(result.degraded).toBe(true);
    expect(degraded[0].message).toMatch(/would not fit the model's 5000-token context; not sent/);
  });
});

describe('prompts carry what a responder knows', () => {
  it("gives a specialist the onset, the dependency graph both ways, the changes and the offline analyst's hypotheses", async () => {
    const { analyst, ctx, server } = await setup(() => ({
      content: [toolUse('submit_finding', { hypotheses: [] })],
    }));
    await analyst.investigate('changes', ctx);
    const context = dataBlocks(server.requests[0]).find((d) => d.source === 'responder-context')?.value as {
      onset: string;
      dependencyGraph: { dependsOn: Array<{ service: string }>; dependedOnBy: unknown[] };
      changes: Array<{ id: string; minutesBeforeOnset: number; precedesOnset: boolean }>;
      baselineHypotheses: Array<{ category: string; culprit: string }>;
    };
    expect(Date.parse(context.onset)).toBeLessThanOrEqual(Date.parse(ctx.incident.detectedAt));
    expect(context.dependencyGraph.dependsOn.map((d) => d.service)).toEqual([
      'payments-api',
      'discounts-api',
      'inventory-api',
    ]);
    expect(context.dependencyGraph.dependedOnBy).toEqual([]);
    const deploy = context.changes.find((c) => c.id === 'deploy:checkout@v187');
    expect(deploy?.precedesOnset).toBe(true);
    expect(context.baselineHypotheses[0]).toMatchObject({ category: 'deployment' });
    expect(JSON.stringify(server.requests[0].body.messages[0])).toContain('You are the CHANGES specialist');
    const knowledge = (context as unknown as { knowledge: Array<{ entry: string; matchedOn: string[] }> })
      .knowledge;
    expect(knowledge.length).toBeGreaterThan(0);
    expect(knowledge.every((k) => k.matchedOn.length > 0)).toBe(true);
  });

  it('lets a specialist look up failure knowledge, which it cannot cite as evidence', async () => {
    const { analyst, ctx, server } = await setup((req) =>
      turnOf(req) === 0
        ? {
            content: [
              toolUse('lookup_failure_knowledge', { line: 'FATAL:  sorry, too many clients already' }),
            ],
          }
        : {
            content: [
              toolUse('submit_finding', {
                hypotheses: [
                  {
                    category: 'database',
                    culprit: 'checkout',
                    summary: 'pool exhaustion',
                    confidence: 0.6,
                    evidence: ['pg-too-many-clients'],
                  },
                ],
              }),
            ],
          },
    );
    const result = await analyst.investigate('performance', ctx);
    const found = items(server.requests[1], 'lookup_failure_knowledge');
    expect(found[0]).toMatchObject({ entry: 'pg-too-many-clients', category: 'database' });
    expect(found[0].id).toBeUndefined();
    // The entry id is not evidence: the hypothesis cites nothing that survives and is set aside.
    expect(result.degraded).toBe(true);
    expect(result.value.hypotheses.some((h) => h.evidence.includes('pg-too-many-clients'))).toBe(false);
  });

  it('documents every parameter the allow-list takes, and only those', () => {
    const documented = new Set(Object.values(ACTION_PARAMETERS).flatMap((p) => Object.keys(p)));
    for (const kind of ACTION_KINDS) {
      for (const key of documented) {
        const verdict = vetAction(
          { kind, target: 'checkout', params: { [key]: 'v1' } },
          new Set(['checkout']),
        );
        const listed = key in ACTION_PARAMETERS[kind];
        expect({ kind, key, accepted: verdict.ok }).toEqual({ kind, key, accepted: listed });
        if (listed) expect(SYNTHESIS_PROMPT).toContain(`${key} — `);
      }
    }
  });

  it('gives every specialist the same cacheable prefix, above the fast model cache minimum', async () => {
    const { analyst, ctx, server } = await setup(() => ({
      content: [toolUse('submit_finding', { hypotheses: [] })],
    }));
    await analyst.investigate('logs', ctx);
    await analyst.investigate('security', ctx);
    const [a, b] = server.requests.map((r) => r.body);
    expect(JSON.stringify(a.system)).toBe(JSON.stringify(b.system));
    expect(JSON.stringify(a.tools)).toBe(JSON.stringify(b.tools));
    // 4,096 tokens is Haiku 4.5's minimum; at ~4 characters a token the prefix must pass ~16.4k.
    expect(JSON.stringify([a.tools, a.system]).length / 4).toBeGreaterThan(4096 * 1.1);
  });
});
