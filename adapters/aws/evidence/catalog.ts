/**
 * The service catalog for AWS, from configuration (FIREBREAK_CATALOG, JSON): what each service is
 * (tier, owner, dependencies, alarms — the same facts a scenario's catalog holds) and where its
 * telemetry lives (metrics, log groups, the resource names CloudTrail knows it by), plus which web ACLs
 * count as security signals. Nothing here is discovered at run time, so what an investigation may
 * read is exactly what an operator listed.
 */
import * as z from 'zod';
import { describeIssues, ValidationError } from '../../../domain/errors.js';
import type { ServiceInfo } from '../../../domain/ports.js';

export const MetricRef = z.object({
  namespace: z.string().min(1).max(255),
  metricName: z.string().min(1).max(255),
  dimensions: z.record(z.string(), z.string()).default({}),
  stat: z.string().min(1).max(20).default('Average'),
  unit: z.string().optional(),
  /** Seconds; the adapter may coarsen it to keep a series within its point limit. */
  periodSeconds: z.number().int().min(1).optional(),
});
export type MetricRef = z.infer<typeof MetricRef>;

export const AwsService = z.object({
  name: z.string().min(1).max(100),
  tier: z.enum(['critical', 'high', 'standard', 'internal']).optional(),
  owner: z.string().max(100).optional(),
  dependsOn: z.array(z.string().max(100)).max(50).optional(),
  alarms: z.array(z.string().max(255)).max(50).optional(),
  userFacing: z.boolean().optional(),
  metrics: z.array(MetricRef).max(50).default([]),
  logGroups: z.array(z.string().min(1).max(512)).max(20).default([]),
  /** Names or ARNs CloudTrail records for this service: ECS service, Lambda function, table, AppConfig app… */
  resources: z.array(z.string().min(1).max(2048)).max(20).default([]),
});
export type AwsService = z.infer<typeof AwsService>;

export const AwsCatalog = z.object({
  services: z.array(AwsService).max(200).default([]),
  security: z
    .object({
      /**
       * WAF web ACLs whose BlockedRequests count as security signals. CloudWatch knows a web ACL by
       * its visibility config's MetricName (the `WebACL` dimension), not its name; CLOUDFRONT web
       * ACLs publish in us-east-1 without a Region dimension, REGIONAL ones in their own region with
       * one (AWS WAF developer guide, "AWS WAF metrics and dimensions").
       */
      webAcls: z
        .array(
          z.object({
            name: z.string().min(1),
            /** The web ACL's VisibilityConfig.MetricName; the name when they are the same. */
            metricName: z.string().min(1).max(255).optional(),
            scope: z.enum(['REGIONAL', 'CLOUDFRONT']).default('REGIONAL'),
            /** The region of a REGIONAL web ACL; the Lambda's own when absent. */
            region: z.string().optional(),
            rule: z.string().default('ALL'),
          }),
        )
        .max(10)
        .default([]),
      /** Read CloudTrail ConsoleLogin failures. */
      consoleLogins: z.boolean().default(true),
    })
    .default({ webAcls: [], consoleLogins: true }),
});
export type AwsCatalog = z.infer<typeof AwsCatalog>;

/** Parses FIREBREAK_CATALOG; absent means an empty catalog (alarms and CloudTrail still answer). */
export function parseCatalog(text: string | undefined): AwsCatalog {
  if (!text?.trim()) return AwsCatalog.parse({});
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new ValidationError(`the service catalog is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = AwsCatalog.safeParse(doc);
  if (!parsed.success) {
    throw new ValidationError('invalid service catalog', describeIssues(parsed.error.issues));
  }
  return parsed.data;
}

export const serviceInfo = (s: AwsService): ServiceInfo => ({
  name: s.name,
  tier: s.tier,
  owner: s.owner,
  dependsOn: s.dependsOn,
  alarms: s.alarms,
  userFacing: s.userFacing,
});

/** The catalog entries a question is about (all when it names none). */
export const inScope = (catalog: AwsCatalog, services?: string[]): AwsService[] =>
  services?.length ? catalog.services.filter((s) => services.includes(s.name)) : catalog.services;
