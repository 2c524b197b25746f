/**
 * The one place Lambda code makes AWS SDK clients: each traced with the Powertools tracer, one per
 * service and region for the life of the execution environment, and one DynamoDB document client
 * (with the marshalling the store and memory adapters expect) shared by everything that reads the
 * table. Adapters receive these clients; they never make their own.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type SecretReader, secretReader } from './secrets.js';
import { tracer } from './tracer.js';

/** What is done to every client as it is made (tracing in Lambda; tests see each client here). */
export type WrapClient = <T>(client: T) => T;

/** An AWS SDK v3 client class: every one takes an optional config with a region. */
export type ClientClass<C> = new (config: { region?: string }) => C;

/** X-Ray subsegments for each SDK call; a no-op outside Lambda (the tracer is disabled there). */
export const traced: WrapClient = (client) => tracer.captureAWSv3Client(client as never) as typeof client;

/** How the adapters write items: optional fields left out, class instances stored as maps. */
export const MARSHALL_OPTIONS = { removeUndefinedValues: true, convertClassInstanceToMap: true } as const;

export class AwsClients {
  private readonly made = new Map<ClientClass<unknown>, Map<string, unknown>>();
  private doc?: DynamoDBDocumentClient;
  private secretsReader?: SecretReader;
  private readonly wrap: WrapClient;
  private readonly region?: string;

  constructor(
    options: {
      /** Applied to each client made; tracing by default. */
      wrap?: WrapClient;
      /** The table's document client when it is not the AWS one (tests: dynalite). */
      dynamo?: DynamoDBDocumentClient;
      /** The region of clients made without one (the CLI's `--region`); the SDK's own otherwise. */
      region?: string;
    } = {},
  ) {
    this.wrap = options.wrap ?? traced;
    this.region = options.region;
    this.doc = options.dynamo;
  }

  /**
   * The client of a service, made on first use. Without a region it uses the function's own
   * (AWS_REGION, as the SDK resolves it); a WAF IP set for CloudFront or a metric in another
   * region asks for that region.
   */
  client<C>(Client: ClientClass<C>, region = this.region): C {
    const byRegion = this.made.get(Client) ?? new Map<string, unknown>();
    this.made.set(Client, byRegion);
    const key = region ?? '';
    if (!byRegion.has(key)) byRegion.set(key, this.wrap(new Client(region ? { region } : {})));
    return byRegion.get(key) as C;
  }

  /** The document client over the table(s), shared so one connection pool serves every adapter. */
  dynamo(): DynamoDBDocumentClient {
    this.doc ??= DynamoDBDocumentClient.from(this.client(DynamoDBClient), {
      marshallOptions: MARSHALL_OPTIONS,
    });
    return this.doc;
  }

  /** Secrets Manager values, cached for a few minutes (runtime/secrets.ts). */
  secrets(): SecretReader {
    this.secretsReader ??= secretReader(this.client(SecretsManagerClient));
    return this.secretsReader;
  }
}

/** The execution environment's clients, made as the wiring first asks for them. */
export const awsClients = new AwsClients();
