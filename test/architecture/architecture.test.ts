import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../lib/bundling.js';
import { check, projectViolations, roomOf } from './rules.js';

describe('the import rules between rooms', () => {
  it('hold across the project', () => {
    expect(projectViolations(PROJECT_ROOT)).toEqual([]);
  });

  // The planted imports show the check can fail: each is a rule the project relies on.
  it.each([
    ['domain/incidents/x.ts', "import { SNSClient } from '@aws-sdk/client-sns';", 'the AWS SDK'],
    [
      'domain/incidents/x.ts',
      "import { DynamoIncidentStore } from '../../adapters/aws/store/dynamo-store.js';",
      'domain may not import adapters/aws',
    ],
    ['domain/incidents/x.ts', "import { readFile } from 'node:fs/promises';", 'the domain does no I/O'],
    [
      'lambdas/triage/x.ts',
      "import { buildStack } from '../../lib/firebreak-stack.js';",
      'lambdas may not import lib',
    ],
    ['lambdas/triage/x.ts', "export { main } from '../../bin/firebreak.js';", 'lambdas may not import bin'],
    ['lib/x.ts', "const m = await import('../local/runner.js');", 'lib may not import local'],
    [
      'adapters/aws/x.ts',
      "import { awsPorts } from '../../runtime/aws-ports.js';",
      'adapters/aws may not import runtime',
    ],
    ['local/x.ts', "import { App } from 'aws-cdk-lib';", 'CDK belongs in lib/'],
    ['domain/x.ts', "import middy from '@middy/core';", 'Powertools and middy belong in runtime, lambdas'],
  ])('refuses %s importing %s', (path, source, rule) => {
    const found = check(path, source);
    expect(found).toHaveLength(1);
    expect(found[0].rule).toContain(rule);
  });

  it.each([
    ['adapters/aws/x.ts', "import { SNSClient } from '@aws-sdk/client-sns';"],
    ['runtime/x.ts', "import { DynamoIncidentStore } from '../adapters/aws/store/dynamo-store.js';"],
    ['lambdas/triage/x.ts', "import { phaseHandler } from '../../runtime/handler.js';"],
    ['lib/x.ts', "import { DEFINITION_PATH } from '../statemachines/definition.js';"],
    ['test/x.ts', "import { SNSClient } from '@aws-sdk/client-sns';"],
  ])('allows %s importing %s', (path, source) => {
    expect(check(path, source)).toEqual([]);
  });

  it('knows every source room by its path', () => {
    expect(roomOf('adapters/embedded/dynamodb.ts')).toBe('adapters/embedded');
    expect(roomOf('domain/analyst/offline/index.ts')).toBe('domain');
    expect(roomOf('test/architecture/rules.ts')).toBeUndefined();
  });
});
