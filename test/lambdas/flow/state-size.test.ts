/**
 * The largest execution state the phase output bounds allow stays under 200 KB, well inside Step
 * Functions' 256 KB limit on a state's input or output (States.DataLimitExceeded cannot be caught:
 * the execution would fail with nobody told). Every string is filled with a three-byte character,
 * the most any clamped character costs in UTF-8 JSON, and every list to its bound.
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../domain/errors.js';
import {
  AssessOutput,
  boundOutput,
  IntakeOutput,
  InvestigateOutput,
  OUTPUT_LIMITS as L,
  MitigateOutput,
  MonitorOutput,
  PlanMitigationOutput,
  PostmortemOutput,
  SynthesizeOutput,
  TriageOutput,
} from '../../../domain/flow/phase-outputs.js';
import { SPECIALISTS } from '../../../domain/model.js';

const LIMIT = 200 * 1024;
const wide = (n: number) => '界'.repeat(n);
/** Over every bound: a few more items than allowed, each longer than allowed. */
const over = (n: number, item: () => unknown) => Array.from({ length: n + 3 }, item);
const bytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v), 'utf8');

const finding = (specialist: string) =>
  InvestigateOutput.parse({
    specialist,
    status: 'ok',
    hypotheses: over(L.hypotheses, () => ({
      category: 'deployment',
      culprit: wide(L.name * 3),
      summary: wide(L.hypothesisSummary * 3),
      confidence: 0.5,
      evidence: over(L.evidencePerHypothesis, () => `metric:${'x'.repeat(L.evidenceId - 7)}`),
    })),
    ruledOut: over(L.ruledOut, () => wide(L.line * 3)),
    notes: over(L.notes, () => wide(L.line * 3)),
    usage: { input: 1_000_000, cachedInput: 1_000_000, output: 1_000_000 },
  });

const largest = () => {
  const incidentId = IntakeOutput.parse({ incidentId: 'i'.repeat(64) }).incidentId;
  const triage = TriageOutput.parse({
    severity: 'SEV1',
    specialists: [...SPECIALISTS],
    services: over(L.services, () => wide(L.name * 3)),
    updateCadenceSeconds: 900,
    checkIntervalSeconds: 300,
  });
  const findings = SPECIALISTS.map(finding);
  const rootCause = SynthesizeOutput.parse({
    category: 'deployment',
    culprit: wide(L.name * 3),
    confidence: 1,
  });
  const assessment = AssessOutput.parse({
    blastRadius: over(L.blastRadius, () => wide(L.name * 3)),
    recentChanges: over(L.recentChanges, () => wide(L.line * 3)),
    rollbackCandidates: over(L.rollbackCandidates, () => ({
      service: wide(L.name * 3),
      version: wide(L.name * 3),
      previousVersion: wide(L.name * 3),
    })),
    userImpact: wide(L.summary * 3),
  });
  const plan = PlanMitigationOutput.parse({
    proposed: true,
    action: {
      kind: 'rollback',
      target: wide(L.name),
      params: Object.fromEntries(
        Array.from({ length: L.actionParams }, (_, i) => [`p${i}`.padEnd(64, 'p'), wide(L.actionValue)]),
      ),
      rationale: wide(L.rationale),
    },
    next: 'approve',
    reason: wide(L.summary * 3),
    preview: wide(L.summary * 3),
  });
  // What the approval endpoint answers with (SendTaskSuccess output) and a failure's Catch result:
  // Step Functions caps an error's Cause at 32,768 characters.
  const approval = { approved: true, by: wide(100), at: '2026-11-20T10:00:00.000Z' };
  const error = { Error: 'x'.repeat(256), Cause: 'x'.repeat(32_768) };
  const mitigation = MitigateOutput.parse({ status: 'applied' });
  const monitor = MonitorOutput.parse({
    checks: 1e6,
    healthyChecks: 1e6,
    waitSeconds: 300,
    lastUpdateAt: '2026-11-20T10:00:00.000Z',
    next: 'handoff',
    alarm: wide(L.name * 3),
  });
  const postmortem = PostmortemOutput.parse({ path: 'p'.repeat(1024), author: wide(L.name * 3) });
  return {
    incidentId,
    triage,
    findings,
    rootCause,
    assessment,
    plan,
    approval,
    error,
    mitigation,
    monitor,
    postmortem,
  };
};

describe('the execution state stays under 200 KB (Step Functions: 256 KB per state)', () => {
  it('clamps every text and list a phase returns', () => {
    const f = finding('logs');
    expect(f.hypotheses).toHaveLength(L.hypotheses);
    expect(f.hypotheses[0].summary).toHaveLength(L.hypothesisSummary);
    expect(f.hypotheses[0].summary.endsWith('…')).toBe(true);
    expect(f.hypotheses[0].evidence).toHaveLength(L.evidencePerHypothesis);
    expect(f.notes).toHaveLength(L.notes);
    // A cut evidence id would cite nothing: an overlong one is dropped instead.
    const cited = InvestigateOutput.parse({
      specialist: 'logs',
      status: 'ok',
      hypotheses: [
        { category: 'unknown', summary: 's', confidence: 0, evidence: ['x'.repeat(201), 'log:ok'] },
      ],
    });
    expect(cited.hypotheses[0].evidence).toEqual(['log:ok']);
    // Control characters would serialize as six-byte escapes.
    expect(TriageOutput.shape.services.parse(['a\u0001b'])).toEqual(['a b']);
  });

  it('serializes the largest allowed state, at its biggest point and inside the investigation branch', () => {
    const s = largest();
    // Inside Respond's first branch: the Map's output (every specialist's finding) beside the input,
    // and Synthesize's parameters (the same findings).
    const branch = { incidentId: s.incidentId, triage: s.triage, findings: s.findings };
    const synthesizeInput = { incidentId: s.incidentId, findings: s.findings };
    // The main state once everything has run, with a failure caught on top of it.
    const main = {
      incidentId: s.incidentId,
      triage: s.triage,
      analysis: { rootCause: s.rootCause, assessment: s.assessment },
      plan: s.plan,
      approval: s.approval,
      approvalError: s.error,
      mitigation: s.mitigation,
      monitor: s.monitor,
      postmortem: s.postmortem,
      error: s.error,
    };
    const sizes = { branch: bytes(branch), synthesizeInput: bytes(synthesizeInput), main: bytes(main) };
    console.log(`largest allowed state (bytes): ${JSON.stringify(sizes)}`);
    for (const [where, size] of Object.entries(sizes)) expect(size, where).toBeLessThan(LIMIT);
    // The bounds are what keeps it there: unbounded, the same findings are far larger.
    expect(
      bytes({ findings: SPECIALISTS.map(() => ({ notes: over(L.notes * 4, () => wide(1000)) })) }),
    ).toBeGreaterThan(LIMIT);
  });

  it('refuses an action outside its bounds instead of cutting it (it must stay the approved one)', () => {
    expect(() =>
      boundOutput('plan-mitigation', {
        proposed: true,
        action: {
          kind: 'rollback',
          target: 'checkout',
          params: { toVersion: 'v'.repeat(L.actionValue + 1) },
        },
        next: 'approve',
      }),
    ).toThrow(ValidationError);
    expect(() => boundOutput('triage', { severity: 'SEV1', extra: 1 })).toThrow(
      /triage phase's output is out of bounds/,
    );
  });
});
