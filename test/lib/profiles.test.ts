/**
 * The grants each phase gets (lib/profiles.ts) follow what its code does, read from the
 * phase's source and every module it imports: a phase that tells people may publish, a phase that
 * reads telemetry (itself, through a helper, or through the analyst) gets the evidence calls, only
 * Mitigate acts. A phase whose code starts doing more fails here, not in AWS with AccessDenied.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PHASES, type PhaseKey } from '../../lambdas/phases.js';
import { PROJECT_ROOT } from '../../lib/bundling.js';
import { PHASE_PROFILES } from '../../lib/profiles.js';

/** The phase's source and every project module it imports, transitively. */
function closure(entry: string): string {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file) || !existsSync(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/from '(\.[^']+)\.js'/g)) visit(resolve(dirname(file), `${m[1]}.ts`));
  };
  visit(entry);
  return [...seen].map((f) => readFileSync(f, 'utf8')).join('\n');
}

const TELEMETRY = /evidence\.(metrics|logs|changes|alarms|security|alarmState)\(/;
/** Analysts (Claude's tool loops and the offline analyst alike) read telemetry for these steps. */
const ANALYST_READS = /ports\.analyst\.(triage|investigate|synthesize)\(/;
const ANALYST = /ports\.analyst\b/;

describe('phase profiles', () => {
  for (const [key, phase] of Object.entries(PHASES) as Array<[PhaseKey, (typeof PHASES)[PhaseKey]]>) {
    it(`${phase.dir}: grants follow the code`, () => {
      const entry = join(PROJECT_ROOT, 'lambdas', phase.dir, 'index.ts');
      const code = closure(entry);
      // The phase's own call runs the action; a helper's call is PlanMitigation's dry-run preview.
      const mitigation = /ports\.actions\.execute\(/.test(readFileSync(entry, 'utf8'))
        ? 'write'
        : /actions\.execute\(/.test(code)
          ? 'read'
          : 'none';
      const profile = PHASE_PROFILES[key];
      expect(profile.publishes, 'publishes').toBe(/notifyAudiences\(|notifier\.publish\(/.test(code));
      expect(profile.evidence, 'evidence').toBe(TELEMETRY.test(code) || ANALYST_READS.test(code));
      expect(profile.mitigation, 'mitigation').toBe(mitigation);
      expect(profile.analyst, 'analyst').toBe(ANALYST.test(code));
      expect(profile.signsApprovalLinks, 'approval links').toBe(/approvalLinks\(/.test(code));
    });
  }
});
