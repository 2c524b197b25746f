/**
 * `firebreak eval`: every scenario in a folder through the whole local pipeline, scored against the
 * scenario's `expected`. One job per file: load (eval/load.ts), score (eval/score.ts), run and
 * total (eval/run.ts), print (eval/print.ts).
 */
export { type LoadedScenario, loadScenarioFolder, type Unreadable } from './eval/load.js';
export { formatReport } from './eval/print.js';
export { type EvalOptions, type EvalReport, evaluate } from './eval/run.js';
export {
  CHECKS,
  type Check,
  type CheckName,
  rootCauseText,
  type ScenarioResult,
  score,
} from './eval/score.js';
