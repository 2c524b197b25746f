/**
 * `firebreak eval`: every scenario in a folder through the whole local pipeline (the same runner as
 * `firebreak run`, approvals answered automatically, each run in its own temporary data directory),
 * scored against the scenario's `expected`. The scorer only compares; it knows nothing about how the
 * analyst reached its answer.
 */
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { startEmbeddedDynamoDB, withLocalStore } from '../adapters/embedded/dynamodb.js';
import { looksLikeScenario, Scenario } from '../adapters/embedded/scenario/schema.js';
import { describeIssues, ValidationError } from '../domain/errors.js';
import { type Incident, SEVERITIES } from '../domain/model.js';
import type { Analyst, Evidence } from '../domain/ports.js';
import { type Confusion, confusionLines, confusionMatrix, missLines } from './eval-confusion.js';
import { type Prepared, prepare, type RunSummary, runIncident } from './runner.js';

export interface LoadedScenario {
  file: string;
  scenario: Scenario;
  prepared: Prepared;
}

export interface Unreadable {
  file: string;
  reason: string;
}

/** Scenario files are the folder's `*.json` (JSON Schemas, `*.schema.json`, are not scenarios). */
const isScenarioFile = (name: string) => name.endsWith('.json') && !name.endsWith('.schema.json');

/** Reads and validates every scenario in a folder; nothing runs until all of them are readable. */
export async function loadScenarioFolder(
  folder: string,
): Promise<{ loaded: LoadedScenario[]; unreadable: Unreadable[] }> {
  let names: string[];
  try {
    if (!(await stat(folder)).isDirectory()) throw new ValidationError(`${folder} is not a folder`);
    names = (await readdir(folder)).filter(isScenarioFile).sort();
  } catch (err) {
    if (err instanceof ValidationError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new ValidationError(
      code === 'ENOENT' ? `no such folder: ${folder}` : `cannot read ${folder}: ${code ?? err}`,
    );
  }
  if (!names.length) throw new ValidationError(`no scenarios (*.json) in ${folder}`);
  const loaded: LoadedScenario[] = [];
  const unreadable: Unreadable[] = [];
  const ids = new Map<string, string>();
  for (const name of names) {
    const file = join(folder, name);
    try {
      const text = await readFile(file, 'utf8');
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch (err) {
        throw new ValidationError(`not valid JSON: ${(err as Error).message}`);
      }
      if (!looksLikeScenario(doc))
        throw new ValidationError('not a scenario (needs alert, environment and expected)');
      const parsed = Scenario.safeParse(doc);
      if (!parsed.success) {
        throw new ValidationError(
          `not a valid scenario: ${describeIssues(parsed.error.issues).slice(0, 3).join('; ')}`,
        );
      }
      const seen = ids.get(parsed.data.id);
      if (seen) throw new ValidationError(`duplicate scenario id ${parsed.data.id} (also in ${seen})`);
      ids.set(parsed.data.id, name);
      loaded.push({ file, scenario: parsed.data, prepared: prepare(doc) });
    } catch (err) {
      const reason = err instanceof ValidationError ? err.message : `cannot read: ${(err as Error).message}`;
      unreadable.push({ file, reason });
    }
  }
  return { loaded, unreadable };
}

/** One comparison: `pass` is null when the scenario does not ask for it. */
export interface Check {
  pass: boolean | null;
  got: string;
  want: string;
}

export const CHECKS = [
  'severity',
  'category',
  'culprit',
  'keywords',
  'forbidden',
  'mitigation',
  'resolved',
] as const;
export type CheckName = (typeof CHECKS)[number];

export interface ScenarioResult {
  id: string;
  file: string;
  difficulty: number | null;
  passed: boolean;
  checks: Record<CheckName, Check>;
  incidentId: string | null;
  executionStatus: 'SUCCEEDED' | 'FAILED' | 'ERROR';
  degraded: boolean;
  tokens: Incident['tokenUsage'] | null;
  wallSeconds: number;
  /** What the analyst concluded, in its own words (the root cause summary). */
  concluded?: string;
  error?: string;
}

const sevIndex = (s: string | null) => (s ? SEVERITIES.indexOf(s as (typeof SEVERITIES)[number]) : -1);
const lower = (s: string) => s.toLowerCase();

/** What the root cause says, as the scorer reads it: culprit, summary and causal chain. */
export const rootCauseText = (summary: RunSummary, incident?: Pick<Incident, 'rootCause'>) =>
  lower([summary.culprit, summary.rootCause, ...(incident?.rootCause?.causalChain ?? [])].join('\n'));

/** Scores one finished run against the scenario's expectations. */
export function score(
  expected: Scenario['expected'],
  summary: RunSummary,
  incident?: Pick<Incident, 'rootCause'>,
): Record<CheckName, Check> {
  const tolerance = expected.severityTolerance ?? 0;
  const gotSev = summary.severity;
  const text = rootCauseText(summary, incident);
  const named = lower(`${summary.culprit}\n${summary.rootCause}`);
  const keywords = expected.requiredKeywords ?? [];
  const missing = keywords.filter((k) => !text.includes(lower(k)));
  const forbidden = expected.forbiddenCategories ?? [];
  const gotMitigation = summary.mitigation.kind ?? 'none';
  const resolved = summary.status === 'RESOLVED';
  return {
    severity: {
      pass: gotSev !== null && Math.abs(sevIndex(gotSev) - sevIndex(expected.severity)) <= tolerance,
      got: gotSev ?? '—',
      want: tolerance ? `${expected.severity}±${tolerance}` : expected.severity,
    },
    category: {
      pass: summary.category === expected.category,
      got: summary.category,
      want: expected.category,
    },
    culprit: expected.culprit
      ? { pass: named.includes(lower(expected.culprit)), got: summary.culprit || '—', want: expected.culprit }
      : { pass: null, got: summary.culprit || '—', want: '—' },
    keywords: keywords.length
      ? {
          pass: missing.length === 0,
          got: missing.length ? `missing ${missing.join(', ')}` : 'all',
          want: keywords.join(', '),
        }
      : { pass: null, got: '—', want: '—' },
    forbidden: forbidden.length
      ? {
          pass: !forbidden.includes(summary.category),
          got: summary.category,
          want: `not ${forbidden.join('/')}`,
        }
      : { pass: null, got: summary.category, want: '—' },
    mitigation:
      expected.mitigation !== undefined
        ? { pass: gotMitigation === expected.mitigation, got: gotMitigation, want: expected.mitigation }
        : { pass: null, got: gotMitigation, want: '—' },
    resolved:
      expected.resolved !== undefined
        ? {
            pass: resolved === expected.resolved,
            got: summary.status,
            want: expected.resolved ? 'RESOLVED' : 'not resolved',
          }
        : { pass: null, got: summary.status, want: '—' },
  };
}

export interface EvalOptions {
  /** The analyst each run uses (the offline analyst when absent). */
  analyst?: (evidence: Evidence) => Analyst;
  analystName: string;
  /** Runs at once (each has its own embedded store). */
  concurrency?: number;
  /** Called as each scenario finishes (progress). */
  onResult?: (result: ScenarioResult, done: number, total: number) => void;
}

export interface EvalReport {
  folder: string;
  analyst: string;
  total: number;
  passed: number;
  categoryAccuracy: number;
  severityAccuracy: number;
  culpritAccuracy: number;
  mitigationAccuracy: number;
  keywordAccuracy: number;
  forbiddenAccuracy: number;
  resolvedAccuracy: number;
  /** Per check: how many scenarios asked for it and how many passed. */
  checks: Record<CheckName, { scored: number; passed: number }>;
  /** Expected category → concluded category → how many scenarios. */
  confusion: Confusion;
  wallSeconds: number;
  scenarios: ScenarioResult[];
}

const failedChecks = (): Record<CheckName, Check> =>
  Object.fromEntries(CHECKS.map((c) => [c, { pass: false, got: 'error', want: '' }])) as Record<
    CheckName,
    Check
  >;

/**
 * Creates the run's table and waits until dynalite reports it ACTIVE. dynalite finishes CreateTable
 * asynchronously, and a first write into a brand-new data directory can race it
 * (ResourceNotFoundException); a table made here is simply reopened by the run.
 */
async function prepareStore(dataDir: string): Promise<void> {
  const db = await startEmbeddedDynamoDB({ path: join(dataDir, 'db') });
  try {
    for (let i = 0; i < 100; i++) {
      const out = await db.client
        .send(new DescribeTableCommand({ TableName: db.tableName }))
        .catch(() => undefined);
      if (out?.Table?.TableStatus === 'ACTIVE') return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    await db.close();
  }
}

async function evaluateOne(item: LoadedScenario, root: string, opts: EvalOptions): Promise<ScenarioResult> {
  const started = Date.now();
  const dataDir = await mkdtemp(join(root, `${item.scenario.id}-`));
  const base = {
    id: item.scenario.id,
    file: item.file,
    difficulty: item.scenario.difficulty ?? null,
  };
  try {
    await prepareStore(dataDir);
    const summary = await runIncident(item.prepared, { dataDir, approve: 'auto', analyst: opts.analyst });
    const incident = await withLocalStore(dataDir, (store) => store.get(summary.incidentId));
    const checks = score(item.scenario.expected, summary, incident);
    const completed = summary.executionStatus === 'SUCCEEDED';
    return {
      ...base,
      passed: completed && CHECKS.every((c) => checks[c].pass !== false),
      checks,
      incidentId: summary.incidentId,
      executionStatus: summary.executionStatus,
      degraded: !!incident?.rootCause?.degraded,
      concluded: summary.rootCause,
      tokens: incident?.tokenUsage ?? null,
      wallSeconds: Math.round((Date.now() - started) / 10) / 100,
      ...(completed ? {} : { error: 'the execution failed (RecordFailure)' }),
    };
  } catch (err) {
    return {
      ...base,
      passed: false,
      checks: failedChecks(),
      incidentId: null,
      executionStatus: 'ERROR',
      degraded: false,
      tokens: null,
      wallSeconds: Math.round((Date.now() - started) / 10) / 100,
      error: err instanceof Error ? err.message : String(err),
    };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

const ratio = (passed: number, scored: number) => (scored ? Math.round((passed / scored) * 1000) / 1000 : 0);

export async function evaluate(
  folder: string,
  loaded: LoadedScenario[],
  opts: EvalOptions,
): Promise<EvalReport> {
  const started = Date.now();
  const root = await mkdtemp(join(tmpdir(), 'firebreak-eval-'));
  const results: ScenarioResult[] = new Array(loaded.length);
  let next = 0;
  let done = 0;
  try {
    const worker = async () => {
      while (next < loaded.length) {
        const index = next++;
        results[index] = await evaluateOne(loaded[index], root, opts);
        opts.onResult?.(results[index], ++done, loaded.length);
      }
    };
    const width = Math.max(1, Math.min(opts.concurrency ?? 1, loaded.length));
    await Promise.all(Array.from({ length: width }, worker));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  const checks = Object.fromEntries(
    CHECKS.map((c) => {
      const scored = results.filter((r) => r.checks[c].pass !== null);
      return [c, { scored: scored.length, passed: scored.filter((r) => r.checks[c].pass).length }];
    }),
  ) as EvalReport['checks'];
  const acc = (c: CheckName) => ratio(checks[c].passed, checks[c].scored);
  return {
    folder,
    analyst: opts.analystName,
    total: results.length,
    passed: results.filter((r) => r.passed).length,
    categoryAccuracy: acc('category'),
    severityAccuracy: acc('severity'),
    culpritAccuracy: acc('culprit'),
    mitigationAccuracy: acc('mitigation'),
    keywordAccuracy: acc('keywords'),
    forbiddenAccuracy: acc('forbidden'),
    resolvedAccuracy: acc('resolved'),
    checks,
    confusion: confusionMatrix(results),
    wallSeconds: Math.round((Date.now() - started) / 100) / 10,
    scenarios: results,
  };
}

const mark = (c: Check) => (c.pass === null ? '·' : c.pass ? '✓' : '✗');
const cell = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s.padEnd(n));
const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;
/** A check no scenario asked for has no accuracy to show. */
const accuracyText = (x: number, c: { passed: number; scored: number }) =>
  c.scored ? `${pct(x)} (${c.passed}/${c.scored})` : 'n/a (not asked)';

/** The report as a table, one line per scenario, then the totals. */
export function formatReport(r: EvalReport): string[] {
  const lines = [
    `${cell('scenario', 40)} d  ${cell('severity', 13)} ${cell('category', 22)} ${cell('culprit', 20)} kw fb ${cell('mitigation', 24)} ${cell('resolved', 10)} result`,
  ];
  for (const s of r.scenarios) {
    const c = s.checks;
    lines.push(
      [
        cell(s.id, 40),
        String(s.difficulty ?? '-'),
        ` ${mark(c.severity)} ${cell(`${c.severity.got}/${c.severity.want}`, 11)}`,
        `${mark(c.category)} ${cell(c.category.pass ? c.category.got : `${c.category.got}≠${c.category.want}`, 20)}`,
        `${mark(c.culprit)} ${cell(c.culprit.pass === false ? `≠${c.culprit.want}` : c.culprit.want, 18)}`,
        ` ${mark(c.keywords)}`,
        ` ${mark(c.forbidden)}`,
        `${mark(c.mitigation)} ${cell(c.mitigation.pass === false ? `${c.mitigation.got}≠${c.mitigation.want}` : c.mitigation.got, 22)}`,
        `${mark(c.resolved)} ${cell(c.resolved.got, 8)}`,
        s.passed ? 'PASS' : `FAIL${s.error ? ` (${s.error.slice(0, 60)})` : ''}`,
      ].join(' '),
    );
  }
  const k = r.checks;
  lines.push('');
  lines.push(
    `${r.passed}/${r.total} scenarios passed every check (analyst: ${r.analyst}, ${r.wallSeconds}s)`,
  );
  lines.push(
    `  category ${accuracyText(r.categoryAccuracy, k.category)}  ` +
      `severity ${accuracyText(r.severityAccuracy, k.severity)}  ` +
      `culprit ${accuracyText(r.culpritAccuracy, k.culprit)}  ` +
      `mitigation ${accuracyText(r.mitigationAccuracy, k.mitigation)}`,
  );
  lines.push(
    `  keywords ${accuracyText(r.keywordAccuracy, k.keywords)}  ` +
      `forbidden avoided ${accuracyText(r.forbiddenAccuracy, k.forbidden)}  ` +
      `resolved ${accuracyText(r.resolvedAccuracy, k.resolved)}`,
  );
  lines.push('  ✓ pass  ✗ fail  · not asked by the scenario');
  lines.push('', ...confusionLines(r.confusion), '', ...missLines(r.scenarios));
  return lines;
}
