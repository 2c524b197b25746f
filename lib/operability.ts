/**
 * Firebreak watching itself: an execution that failed or timed out means an incident may have gone
 * without automation, and a message in the dead-letter queue means an alert never became one.
 * Each alarm notifies the ops topic, which every on-call subscriber receives unfiltered.
 */
import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { Function as LambdaFn } from 'aws-cdk-lib/aws-lambda';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface OperabilityProps {
  /** Alarm names start with this, so ingestion can ignore them (ingestion.ts). */
  alarmPrefix: string;
  stateMachine: StateMachine;
  deadLetters: Queue;
  ingest: LambdaFn;
  opsTopic: Topic;
}

export class Operability extends Construct {
  readonly alarms: Alarm[];

  constructor(scope: Construct, id: string, props: OperabilityProps) {
    super(scope, id);
    const period = Duration.minutes(1);
    const spec = [
      {
        id: 'ExecutionsFailed',
        metric: props.stateMachine.metricFailed({ period, statistic: 'Sum' }),
        description: 'An incident execution failed: automation stopped, respond by hand.',
      },
      {
        id: 'ExecutionsTimedOut',
        metric: props.stateMachine.metricTimedOut({ period, statistic: 'Sum' }),
        description: 'An incident execution hit the execution timeout without resolving or handing off.',
      },
      {
        id: 'IngestDeadLetters',
        metric: props.deadLetters.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
        description:
          'An alert could not be ingested (see the dead-letter queue): no incident was opened for it.',
      },
      {
        id: 'IngestErrors',
        metric: props.ingest.metricErrors({ period, statistic: 'Sum' }),
        description: 'The ingest function is failing: alerts may not be opening incidents.',
      },
    ];
    const action = new SnsAction(props.opsTopic);
    this.alarms = spec.map(({ id: alarmId, metric, description }) => {
      const alarm = new Alarm(this, alarmId, {
        alarmName: `${props.alarmPrefix}${alarmId}`,
        alarmDescription: description,
        metric,
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
      return alarm;
    });
  }
}
