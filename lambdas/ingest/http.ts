/**
 * HTTP as the ingest function sees it: a Lambda Function URL / HTTP API event (payload 2.0) or an
 * API Gateway REST event (1.0), reduced to method, path, lower-cased headers and the raw body bytes
 * (signatures are computed over exactly those bytes).
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from 'zod';

const Headers = z.record(z.string(), z.string().optional()).nullish();

export const HttpEventV2 = z.looseObject({
  version: z.literal('2.0'),
  rawPath: z.string(),
  requestContext: z.looseObject({ http: z.looseObject({ method: z.string() }) }),
  headers: Headers,
  body: z.string().nullish(),
  isBase64Encoded: z.boolean().optional(),
});
export const HttpEventV1 = z.looseObject({
  httpMethod: z.string(),
  path: z.string(),
  headers: Headers,
  body: z.string().nullish(),
  isBase64Encoded: z.boolean().nullish(),
});

export interface HttpRequest {
  method: string;
  path: string;
  headers: Record<string, string | undefined>;
  body: Buffer;
}

export type HttpResponse = APIGatewayProxyStructuredResultV2 & { statusCode: number; body: string };

/** The request inside an HTTP event, or undefined when the event is not an HTTP one. */
export function httpRequestOf(event: unknown): HttpRequest | undefined {
  const v2 = HttpEventV2.safeParse(event);
  const v1 = v2.success ? undefined : HttpEventV1.safeParse(event);
  const e = v2.success
    ? { method: v2.data.requestContext.http.method, path: v2.data.rawPath, ...v2.data }
    : v1?.success
      ? { method: v1.data.httpMethod, ...v1.data }
      : undefined;
  if (!e) return undefined;
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(e.headers ?? {})) headers[k.toLowerCase()] = v;
  const raw = e.body ?? '';
  return {
    method: e.method.toUpperCase(),
    path: e.path,
    headers,
    body: e.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8'),
  };
}

export const json = (
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): HttpResponse => ({
  statusCode,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});
