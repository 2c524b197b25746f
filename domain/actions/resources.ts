/**
 * The resource map: which AWS resource an action target names. It comes from configuration only,
 * never from alert text or model output, so a proposal can pick a target by name but cannot point
 * an action at anything the operators did not list.
 */
import * as z from 'zod';

const awsName = z.string().regex(/^[A-Za-z0-9._:/@+-]{1,256}$/, 'not an AWS resource name or ARN');

export const LambdaResource = z.strictObject({
  functionName: awsName,
  /** The alias traffic goes through; rollback moves it, never $LATEST. */
  alias: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/),
  /** Upper bound for `scale` (reserved concurrency); scale is refused without it. */
  maxReservedConcurrency: z.number().int().positive().max(10_000).optional(),
});
export type LambdaResource = z.infer<typeof LambdaResource>;

export const EcsResource = z.strictObject({
  cluster: awsName,
  service: awsName,
  /** Upper bound for `scale` (desired count); scale is refused without it. */
  maxDesiredCount: z.number().int().positive().max(5_000).optional(),
});
export type EcsResource = z.infer<typeof EcsResource>;

export const AppConfigFlag = z.strictObject({
  applicationId: awsName,
  environmentId: awsName,
  /** A hosted configuration profile of type AWS.AppConfig.FeatureFlags. */
  configurationProfileId: awsName,
  /** The flag key inside the profile. */
  flag: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  deploymentStrategyId: awsName.default('AppConfig.AllAtOnce'),
});
export type AppConfigFlag = z.infer<typeof AppConfigFlag>;

export const WafIpSet = z.strictObject({
  name: awsName,
  id: awsName,
  scope: z.enum(['REGIONAL', 'CLOUDFRONT']),
  /** The region of a REGIONAL IP set, when it is not the stack's; CLOUDFRONT sets live in us-east-1. */
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'not an AWS region')
    .optional(),
  /** Ranges that must never be blocked (partners, our own egress), whatever the evidence says. */
  neverBlock: z.array(z.string()).default([]),
});
export type WafIpSet = z.infer<typeof WafIpSet>;

export const RotatableSecret = z.strictObject({
  /** A Secrets Manager secret with rotation configured (a rotation function). */
  secretId: awsName,
});
export type RotatableSecret = z.infer<typeof RotatableSecret>;

export const ResourceEntry = z
  .strictObject({
    /** The service this resource belongs to, when the target is not itself a service name. */
    service: z.string().min(1).max(100).optional(),
    lambda: LambdaResource.optional(),
    ecs: EcsResource.optional(),
    appConfig: AppConfigFlag.optional(),
    waf: WafIpSet.optional(),
    secret: RotatableSecret.optional(),
  })
  .refine((e) => !(e.lambda && e.ecs), 'a target is either a Lambda alias or an ECS service, not both');
export type ResourceEntry = z.infer<typeof ResourceEntry>;

/** Target name (a service, a flag, an IP set's owner) → the AWS resources behind it. */
export const ResourceMap = z.record(z.string().min(1).max(100), ResourceEntry);
export type ResourceMap = z.infer<typeof ResourceMap>;
