/** The least-privilege check itself must be able to fail: run it on a deliberately bad template. */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import { UNSCOPABLE } from '../../lib/permissions.js';
import { iamViolations } from './iam.js';

function templateWith(...statements: PolicyStatement[]) {
  const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'Bad');
  const role = new Role(stack, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
  for (const st of statements) role.addToPolicy(st);
  return Template.fromStack(stack).toJSON().Resources;
}

describe('iamViolations', () => {
  it('flags "*" actions, service wildcards, NotAction and uncommented "*" resources', () => {
    const problems = iamViolations(
      templateWith(
        new PolicyStatement({ actions: ['*'], resources: ['arn:aws:s3:::bucket'] }),
        new PolicyStatement({ actions: ['s3:*'], resources: ['arn:aws:s3:::bucket'] }),
        new PolicyStatement({ actions: ['dynamodb:PutItem', 'xray:PutTraceSegments'], resources: ['*'] }),
        new PolicyStatement({ notActions: ['iam:*'], resources: ['arn:aws:s3:::bucket'] }),
      ),
      UNSCOPABLE,
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/Action \*$/),
        expect.stringMatching(/Action s3:\*$/),
        expect.stringMatching(/dynamodb:PutItem on Resource "\*" is not a commented unscopable call/),
        expect.stringMatching(/NotAction/),
      ]),
    );
    // X-Ray upload has no resource type: listed, with its reason, so it passes.
    expect(problems.join('\n')).not.toContain('xray:PutTraceSegments');
  });

  it('passes scoped statements and listed unscopable calls', () => {
    expect(
      iamViolations(
        templateWith(
          new PolicyStatement({
            actions: ['dynamodb:PutItem'],
            resources: ['arn:aws:dynamodb:eu-west-1:123456789012:table/t'],
          }),
          new PolicyStatement({ actions: ['cloudtrail:LookupEvents'], resources: ['*'] }),
        ),
        UNSCOPABLE,
      ),
    ).toEqual([]);
  });
});
