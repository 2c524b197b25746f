/**
 * What the CLI's AWS commands (`approve --table`, `review --table`, `start --state-machine-arn`) run with: the same adapters
 * and the same marshalling as the Lambda functions, on the SDK's default credentials and the region
 * given. The clients are not traced: there is no X-Ray segment on a laptop.
 */
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoMemory } from '../adapters/aws/memory.js';
import { SfnTaskAnswerer } from '../adapters/aws/sfn-answerer.js';
import { DynamoIncidentStore } from '../adapters/aws/store/dynamo-store.js';
import { AwsClients } from './aws-clients.js';

const untraced = <T>(client: T): T => client;

/** The incident table, its memory and the answerer of Step Functions tasks, in one region. */
export function cliAws(table: string, region?: string) {
  const clients = new AwsClients({ wrap: untraced, region });
  const doc = clients.dynamo();
  return {
    store: new DynamoIncidentStore(doc, table),
    memory: new DynamoMemory(doc, table),
    answerer: new SfnTaskAnswerer(clients.client(SFNClient, region)),
    /** Ends the table client's connections, so a command exits as soon as it is done. */
    close: () => doc.destroy(),
  };
}

/** Step Functions in a region, for `firebreak start --state-machine-arn`. */
export const cliSfn = (region?: string): SFNClient =>
  new AwsClients({ wrap: untraced, region }).client(SFNClient);
