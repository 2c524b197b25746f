/**
 * The pipeline refuses to synthesize a state machine that disagrees with lambdas/phases.ts: a
 * placeholder no phase provides, a phase no state invokes, or a Lambda that outlives its Task.
 */
import { App, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { ApprovalLinks } from '../../lib/approval.js';
import { parseDeployConfig } from '../../lib/config.js';
import { Endpoint } from '../../lib/endpoint.js';
import { ModelAccess } from '../../lib/model-access.js';
import { Notifications } from '../../lib/notifications.js';
import { Pipeline } from '../../lib/pipeline.js';
import { Storage } from '../../lib/storage.js';
import { readDefinitionText } from '../../statemachines/definition.js';
import { cdkContext } from './synth.js';

function pipelineWith(definition: string) {
  const app = new App({
    context: { ...cdkContext(), 'aws:cdk:bundling-stacks': [] },
    builtinCloudFormationValidation: false,
  });
  const stack = new Stack(app, 'Guard');
  const config = parseDeployConfig({}, 'test');
  const endpoint = new Endpoint(stack, 'Endpoint', config);
  const links = new ApprovalLinks(stack, 'Links', endpoint);
  return () =>
    new Pipeline(stack, 'Pipeline', {
      config,
      storage: new Storage(stack, 'Storage', config),
      notifications: new Notifications(stack, 'Notifications', config),
      modelAccess: new ModelAccess(stack, 'Model', config),
      approvalLinks: { key: links.key, baseUrl: links.baseUrl },
      definition,
    });
}

/** `"${Name}"` as it appears in the definition. */
const ref = (name: string) => `"\${${name}}"`;

describe('the pipeline guards the definition', () => {
  const text = readDefinitionText();

  it('fails on a placeholder that no phase provides', () => {
    const ghost = text.replaceAll(ref('DeclareFunctionArn'), ref('GhostFunctionArn'));
    expect(ghost).not.toBe(text);
    expect(pipelineWith(ghost)).toThrow(
      /\$\{GhostFunctionArn\} has no phase; phase DeclareFunctionArn is invoked by no state/,
    );
  });

  it('fails on a phase that no state invokes', () => {
    const [before, after] = text.split(ref('HandoffFunctionArn'));
    const orphaned = `${before}${ref('EscalateFunctionArn')}${after}`;
    expect(pipelineWith(orphaned)).toThrow(/phase HandoffFunctionArn is invoked by no state/);
  });

  it('fails when a Task would time out before its Lambda does', () => {
    const doc = JSON.parse(text);
    doc.States.Triage.TimeoutSeconds = 10;
    expect(pipelineWith(JSON.stringify(doc))).toThrow(
      /triage: Lambda timeout 55s must be below its Task's TimeoutSeconds 10s/,
    );
  });

  it('fails without an execution timeout', () => {
    const doc = JSON.parse(text);
    delete doc.TimeoutSeconds;
    expect(pipelineWith(JSON.stringify(doc))).toThrow(/no top-level TimeoutSeconds/);
  });
});
