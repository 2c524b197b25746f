/**
 * Scale of a Lambda function: raise its reserved concurrency, within the configured ceiling. A
 * function without reserved concurrency already draws on the account pool, so there is nothing to
 * raise unless a value is given explicitly.
 */
import {
  GetFunctionConcurrencyCommand,
  type LambdaClient,
  PutFunctionConcurrencyCommand,
} from '@aws-sdk/client-lambda';
import type { MitigationAction } from '../model.js';
import type { ActionOutcome } from '../ports.js';
import { ActionRefused, alreadyDone, positiveInt, scaleFactor } from './outcome.js';
import type { LambdaResource } from './resources.js';

export async function scaleLambdaConcurrency(
  lambda: LambdaClient,
  res: LambdaResource,
  action: MitigationAction,
  dryRun: boolean,
): Promise<ActionOutcome> {
  const max = res.maxReservedConcurrency;
  if (!max)
    throw new ActionRefused(
      `no maxReservedConcurrency is configured for ${res.functionName}; scale is not allowed`,
    );
  const explicit = positiveInt(action.params.reservedConcurrency, 'reservedConcurrency', max);
  const factor = scaleFactor(action.params.factor);
  const now = await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: res.functionName }));
  const current = now.ReservedConcurrentExecutions;
  const before = { functionName: res.functionName, reservedConcurrency: current ?? null };
  let target: number;
  if (explicit !== undefined) target = explicit;
  else if (current === undefined) {
    throw new ActionRefused(
      `${res.functionName} has no reserved concurrency (it uses the unreserved pool); give reservedConcurrency explicitly`,
    );
  } else target = Math.min(max, Math.ceil(current * (factor ?? 2)));
  if (target === current)
    return alreadyDone(dryRun, before, `${res.functionName} reserved concurrency is ${current}`);
  if (current !== undefined && target < current) {
    throw new ActionRefused(
      `scaling ${res.functionName} down from ${current} to ${target} is not a mitigation`,
    );
  }
  const change = `Lambda ${res.functionName} reserved concurrency ${current ?? 'unreserved'} -> ${target} (max ${max})`;
  const resolvedParams = { reservedConcurrency: target };
  if (dryRun)
    return {
      status: 'dry-run',
      before,
      after: { ...before, reservedConcurrency: target },
      detail: change,
      resolvedParams,
    };
  const out = await lambda.send(
    new PutFunctionConcurrencyCommand({
      FunctionName: res.functionName,
      ReservedConcurrentExecutions: target,
    }),
  );
  return {
    status: 'applied',
    before,
    after: { ...before, reservedConcurrency: out.ReservedConcurrentExecutions ?? target },
    detail: change,
  };
}
