/**
 * Scale of a Lambda function: raise its reserved concurrency, within the configured ceiling. A
 * function without reserved concurrency already draws on the account pool, so there is nothing to
 * raise unless a value is given explicitly — and then reserving also caps it, so the value must not
 * be below what the function has recently run at. Lambda keeps at least 100 executions unreserved
 * for the account's other functions and refuses a reservation that would leave fewer (Lambda API
 * reference, PutFunctionConcurrency); the dry run checks the same, so nobody approves what the real
 * call will refuse.
 */
import { type CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  GetAccountSettingsCommand,
  GetFunctionConcurrencyCommand,
  type LambdaClient,
  PutFunctionConcurrencyCommand,
} from '@aws-sdk/client-lambda';
import {
  ActionRefused,
  alreadyDone,
  changeOutcome,
  positiveInt,
  scaleFactor,
} from '../../../domain/actions/outcome.js';
import type { LambdaResource } from '../../../domain/actions/resources.js';
import type { MitigationAction } from '../../../domain/model.js';
import type { ActionOutcome } from '../../../domain/ports.js';

/** Lambda's floor on the account's unreserved concurrency. */
export const MIN_UNRESERVED = 100;
const PEAK_WINDOW_MS = 3_600_000;

/** The function's highest ConcurrentExecutions (1-minute maximum) over the last hour. */
async function recentPeak(cloudwatch: CloudWatchClient, functionName: string, now: Date): Promise<number> {
  const out = await cloudwatch.send(
    new GetMetricDataCommand({
      StartTime: new Date(now.getTime() - PEAK_WINDOW_MS),
      EndTime: now,
      MetricDataQueries: [
        {
          Id: 'peak',
          MetricStat: {
            Metric: {
              Namespace: 'AWS/Lambda',
              MetricName: 'ConcurrentExecutions',
              Dimensions: [{ Name: 'FunctionName', Value: functionName }],
            },
            Period: 60,
            Stat: 'Maximum',
          },
        },
      ],
    }),
  );
  return Math.max(0, ...(out.MetricDataResults?.[0]?.Values ?? []));
}

export async function scaleLambdaConcurrency(
  lambda: LambdaClient,
  res: LambdaResource,
  action: MitigationAction,
  dryRun: boolean,
  cloudwatch?: CloudWatchClient,
  at: Date = new Date(),
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
  if (current === undefined) {
    // Reserving caps the function too: below its recent peak, the "scale" would throttle it.
    if (!cloudwatch)
      throw new ActionRefused(
        `cannot read ${res.functionName}'s recent concurrency to check ${target} is not below it`,
      );
    const peak = await recentPeak(cloudwatch, res.functionName, at);
    if (target < peak) {
      throw new ActionRefused(
        `reserving ${target} for ${res.functionName} would cap it below its recent peak of ${peak} concurrent executions`,
      );
    }
  }
  const account = await lambda.send(new GetAccountSettingsCommand({}));
  const unreserved = account?.AccountLimit?.UnreservedConcurrentExecutions;
  const added = target - (current ?? 0);
  if (unreserved !== undefined && unreserved - added < MIN_UNRESERVED) {
    throw new ActionRefused(
      `reserving ${added} more for ${res.functionName} would leave ${unreserved - added} unreserved executions; Lambda keeps at least ${MIN_UNRESERVED}`,
    );
  }
  const change = `Lambda ${res.functionName} reserved concurrency ${current ?? 'unreserved'} -> ${target} (max ${max})`;
  const plan = {
    before,
    expected: { ...before, reservedConcurrency: target },
    detail: change,
    resolvedParams: { reservedConcurrency: target },
  };
  return changeOutcome(dryRun, plan, async () => {
    const out = await lambda.send(
      new PutFunctionConcurrencyCommand({
        FunctionName: res.functionName,
        ReservedConcurrentExecutions: target,
      }),
    );
    return { ...before, reservedConcurrency: out.ReservedConcurrentExecutions ?? target };
  });
}
