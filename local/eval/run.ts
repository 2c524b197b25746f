/**
 * Runs every loaded scenario through the whole local pipeline (the same runner as `firebreak run`,
 * approvals answered automatically, each run in its own temporary data directory) and totals the
 * scores.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareStore, withLocalStore } from '../../adapters/embedded/dynamodb.js';
import type { Analyst, Evidence } from '../../domain/ports.js';
import { type Confusion, confusionMatrix } from '../eval-confusion.js';
import { runIncident } from '../runner.js';
import type { LoadedScenario } from './load.js';
import { CHECKS, type Check, type CheckName, type ScenarioResult, score } from './score.js';

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
      // Each scenario has its own data folder: nothing is open there for it to join.
      executionStatus: summary.executionStatus === 'JOINED' ? 'ERROR' : summary.executionStatus,
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
