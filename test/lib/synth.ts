/**
 * Synthesizes the Firebreak stack for assertions, the way `cdk synth` does (cdk.json's context),
 * except that asset bundling is skipped: the `aws:cdk:bundling-stacks` context lists no stack, so
 * NodejsFunction stages its source instead of running esbuild 19 times. Bundling itself is proven
 * by bundling.test.ts and `npm run bundle:size`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { APPROVAL_ENTRY, INGEST_ENTRY, PROJECT_ROOT } from '../../lib/bundling.js';
import { parseDeployConfig } from '../../lib/config.js';
import { FirebreakStack } from '../../lib/firebreak-stack.js';

export const cdkContext = (): Record<string, unknown> =>
  JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')).context;

/**
 * The ingest and approval entries are written by other work streams. The stack takes their paths as
 * props; until a file exists, the tests stand a phase handler in for it (reported by `standIns`),
 * so the rest of the stack is still asserted.
 */
export function entries(): { ingest: string; approval: string; standIns: string[] } {
  const standIns: string[] = [];
  const pick = (path: string) => {
    if (existsSync(join(PROJECT_ROOT, path))) return path;
    standIns.push(path);
    return join('lambdas', 'intake', 'handler.ts');
  };
  return { ingest: pick(INGEST_ENTRY), approval: pick(APPROVAL_ENTRY), standIns };
}

export interface Synthesized {
  stack: FirebreakStack;
  template: Template;
  json: { Resources: Record<string, CfnResource>; Outputs: Record<string, { Value: unknown }> };
  standIns: string[];
}

export interface CfnResource {
  Type: string;
  // biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON, asserted field by field
  Properties: Record<string, any>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

/**
 * `cfnValidation` runs CDK's built-in CloudFormation schema validation, as `cdk synth` does (its
 * findings are errors under cdk.json's validateAgainstDefaultRules). It costs most of a synthesis,
 * so one test file runs it on the full production-shaped stack and the others skip it.
 */
export function synthesize(rawConfig: unknown, opts: { cfnValidation?: boolean } = {}): Synthesized {
  const app = new App({
    context: { ...cdkContext(), 'aws:cdk:bundling-stacks': [] },
    builtinCloudFormationValidation: opts.cfnValidation ?? false,
  });
  const config = parseDeployConfig(rawConfig, 'test');
  const { standIns, ...paths } = entries();
  const stack = new FirebreakStack(app, config.stackName, { config, entries: paths });
  const template = Template.fromStack(stack);
  return { stack, template, json: template.toJSON() as Synthesized['json'], standIns };
}

/** cdk-nag's AwsSolutions findings that are not acknowledged, as `rule: construct path` lines. */
export function nagFindings(stack: FirebreakStack): string[] {
  const report = new AwsSolutionsChecks().validateScope(stack);
  return report.violations.flatMap((v) =>
    v.violatingResources.map((r) => `${v.severity} ${v.ruleName}: ${r.constructPath}`),
  );
}

/** Resources of one type, by logical id. */
export function ofType(json: Synthesized['json'], type: string): Array<[string, CfnResource]> {
  return Object.entries(json.Resources).filter(([, r]) => r.Type === type);
}
