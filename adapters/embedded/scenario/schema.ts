/**
 * The scenario format of ../shared/scenarios (scenario.schema.json), as a zod schema: a frozen
 * incident with its alert, its telemetry, how the environment answers mitigation, and what a good
 * response concludes.
 */
import * as z from 'zod';
import { ALERT_SOURCES, CATEGORIES, SEVERITIES } from '../../../domain/model.js';

const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO date-time');

export const ScenarioService = z.strictObject({
  name: z.string(),
  tier: z.enum(['critical', 'high', 'standard', 'internal']).optional(),
  owner: z.string().optional(),
  dependsOn: z.array(z.string()).optional(),
  alarms: z.array(z.string()).optional(),
  userFacing: z.boolean().optional(),
});

export const Scenario = z.strictObject({
  $schema: z.string().optional(),
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  title: z.string(),
  difficulty: z.number().int().min(1).max(4).optional(),
  alert: z.strictObject({
    source: z.enum(ALERT_SOURCES),
    receivedAt: isoTime.optional(),
    payload: z.unknown(),
  }),
  environment: z.strictObject({
    services: z.array(ScenarioService).default([]),
    metrics: z
      .array(
        z.strictObject({
          namespace: z.string(),
          metricName: z.string(),
          dimensions: z.record(z.string(), z.string()).optional(),
          stat: z.string().optional(),
          unit: z.string().optional(),
          periodSeconds: z.number().int().optional(),
          service: z.string().optional(),
          points: z.array(z.tuple([isoTime, z.number()])),
        }),
      )
      .default([]),
    logs: z
      .array(
        z.strictObject({
          logGroup: z.string().optional(),
          service: z.string().optional(),
          timestamp: isoTime,
          level: z.string().optional(),
          message: z.string(),
          count: z.number().int().min(1).optional(),
        }),
      )
      .default([]),
    deployments: z
      .array(
        z.strictObject({
          service: z.string(),
          version: z.string(),
          previousVersion: z.string().optional(),
          startedAt: isoTime,
          completedAt: isoTime.optional(),
          status: z.enum(['in-progress', 'succeeded', 'failed', 'rolled-back']).optional(),
          author: z.string().optional(),
          kind: z.string().optional(),
          description: z.string().optional(),
        }),
      )
      .default([]),
    changes: z
      .array(
        z.strictObject({
          timestamp: isoTime,
          source: z.string().optional(),
          eventName: z.string().optional(),
          service: z.string().optional(),
          resource: z.string().optional(),
          actor: z.string().optional(),
          summary: z.string(),
        }),
      )
      .default([]),
    securityEvents: z
      .array(
        z.strictObject({
          timestamp: isoTime,
          kind: z.string(),
          source: z.string().optional(),
          count: z.number().int().optional(),
          detail: z.string().optional(),
        }),
      )
      .default([]),
    alarmStates: z
      .array(
        z.strictObject({
          name: z.string(),
          service: z.string().optional(),
          state: z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']),
          timestamp: isoTime,
        }),
      )
      .default([]),
    recovery: z
      .strictObject({
        resolvedBy: z.array(z.string()).default([]),
        afterSeconds: z.number().int().min(0).optional(),
      })
      .default({ resolvedBy: [] }),
  }),
  expected: z.strictObject({
    severity: z.enum(SEVERITIES),
    severityTolerance: z.number().int().min(0).max(1).optional(),
    category: z.enum(CATEGORIES),
    culprit: z.string().optional(),
    requiredKeywords: z.array(z.string()).optional(),
    forbiddenCategories: z.array(z.string()).optional(),
    mitigation: z.string().optional(),
    resolved: z.boolean().optional(),
  }),
});
export type Scenario = z.infer<typeof Scenario>;

/** True when a parsed JSON document has the shape of a scenario rather than a raw alert. */
export const looksLikeScenario = (doc: unknown): boolean =>
  typeof doc === 'object' && doc !== null && 'alert' in doc && 'environment' in doc && 'expected' in doc;
