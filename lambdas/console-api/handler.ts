/** The console's Lambda (HTTP API, payload 2.0, behind a JWT authorizer); the logic is in index.ts. */
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { handleConsoleEvent } from './index.js';
import { awsConsoleDeps } from './wiring.js';

export const handler = (event: APIGatewayProxyEventV2WithJWTAuthorizer) =>
  handleConsoleEvent(event, awsConsoleDeps());
