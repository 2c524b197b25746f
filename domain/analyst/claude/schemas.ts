/**
 * What a model must hand back, as zod schemas. The same schema is the `input_schema` of the submit
 * tool the model calls and the parser its answer goes through: anything that does not parse is
 * invalid output and the step falls back to the offline analyst.
 */
import * as z from 'zod';
import { ActionKind, Category, Severity, Specialist } from '../../model.js';

const Evidence = z.array(z.string().min(1).max(200)).max(20).default([]);
const Text = (max: number) => z.string().max(max);

export const HypothesisOutput = z.object({
  category: Category.describe('root-cause category; "unknown" when the evidence does not support one'),
  culprit: Text(200).default('').describe('what is at fault: a service, version, resource or dependency'),
  summary: Text(1000).min(1).describe('one or two sentences: what happened and why'),
  confidence: z.number().min(0).max(1).describe('0..1, honest: lower when evidence is indirect'),
  evidence: Evidence.describe('evidence ids returned by the tools that support this hypothesis'),
});

export const FindingOutput = z.object({
  hypotheses: z.array(HypothesisOutput).max(5).default([]).describe('best first; empty if nothing notable'),
  ruledOut: z.array(Text(300)).max(10).default([]).describe('alternatives checked and rejected, with why'),
  notes: z.array(Text(300)).max(10).default([]),
});
export type FindingOutput = z.infer<typeof FindingOutput>;

export const TriageOutput = z.object({
  severity: Severity.describe('SEV1 outage/data loss/breach … SEV4 no user impact'),
  specialists: z.array(Specialist).min(1).max(6).describe('which specialists to run'),
  services: z.array(Text(100)).max(20).default([]).describe('affected services, names from the catalog'),
  rationale: Text(1000).min(1),
  evidence: z
    .array(Text(200))
    .max(10)
    .default([])
    .describe(
      'evidence ids (from tool results) that justify the severity; required to differ from the measured impact',
    ),
});
export type TriageOutput = z.infer<typeof TriageOutput>;

export const ActionOutput = z.object({
  kind: ActionKind,
  target: Text(128).min(1).describe('the service or resource to act on, as named by the evidence'),
  params: z
    .record(z.string().max(40), z.union([z.string().max(128), z.number(), z.boolean()]))
    .default({})
    .describe('rollback: toVersion/fromVersion; scale: desiredCount/reservedConcurrency/factor; …'),
  rationale: Text(500).default(''),
});

export const RootCauseOutput = z.object({
  category: Category,
  culprit: Text(200).default(''),
  summary: Text(1500).min(1),
  causalChain: z.array(Text(300)).max(10).default([]).describe('cause first, symptom last'),
  confidence: z.number().min(0).max(1),
  evidence: Evidence,
  ruledOut: z.array(Text(300)).max(10).default([]),
  mitigation: ActionOutput.nullable()
    .default(null)
    .describe('the first action to propose, or null when none would help or the cause is unknown'),
});
export type RootCauseOutput = z.infer<typeof RootCauseOutput>;
