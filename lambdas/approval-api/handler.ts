/**
 * The approval endpoint's Lambda (HTTP API or Function URL, payload format 2.0): maps the HTTP event
 * to the endpoint's request. The logic is in index.ts, the AWS wiring in runtime/approval-wiring.ts.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { awsApprovalDeps } from '../../runtime/approval-wiring.js';
import { type ApprovalApiDeps, handleApprovalRequest } from './index.js';

let deps: ApprovalApiDeps | undefined;

/** Built once per execution environment, on the first request. */
const awsDeps = (): ApprovalApiDeps => {
  deps ??= awsApprovalDeps();
  return deps;
};

/** Maps the HTTP event to the endpoint's request; `wire` is replaced in tests. */
export function makeHandler(wire: () => ApprovalApiDeps = awsDeps) {
  return async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const raw = event.body ?? '';
    const body = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
    const query = Object.fromEntries(
      Object.entries(event.queryStringParameters ?? {}).filter(
        (e): e is [string, string] => typeof e[1] === 'string',
      ),
    );
    return handleApprovalRequest(
      { method: event.requestContext?.http?.method ?? 'GET', path: event.rawPath ?? '', query, body },
      wire(),
    );
  };
}

export const handler = makeHandler();
