/** The console's Lambda (HTTP API, payload 2.0, behind a JWT authorizer); the logic is in index.ts. */
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { awsConsoleDeps } from '../../runtime/console-wiring.js';
import { handleConsoleEvent } from './index.js';

export const handler = (event: APIGatewayProxyEventV2WithJWTAuthorizer) =>
  handleConsoleEvent(event, awsConsoleDeps());
