/**
 * Serves Function-URL-style Lambda handlers over node:http on this machine (`firebreak serve`): each
 * request becomes the payload-2.0 event AWS would send, with the body base64-encoded so signed bytes
 * arrive untouched, and the handler's answer is written back. A route table maps path prefixes to
 * handlers, so the ingest webhooks and the approval endpoint are mounted side by side, as in AWS.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

export type LambdaHttpHandler = (event: APIGatewayProxyEventV2) => Promise<unknown>;

export interface LocalRoute {
  /** Path prefix, e.g. `/webhooks/`; the first matching route serves the request. */
  prefix: string;
  handler: LambdaHttpHandler;
}

interface Answer {
  statusCode?: number;
  headers?: Record<string, string | number | boolean>;
  body?: string;
  isBase64Encoded?: boolean;
}

const sendJson = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

/** Reads the body up to `max` bytes; undefined when it is longer (the caller answers 413). */
function readBody(req: IncomingMessage, max: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function toLambdaEvent(req: IncomingMessage, body: Buffer): APIGatewayProxyEventV2 {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers))
    if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(',') : v;
  const now = new Date();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    queryStringParameters: Object.fromEntries(url.searchParams),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? '127.0.0.1',
      domainPrefix: 'local',
      http: {
        method: req.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body: body.toString('base64'),
    isBase64Encoded: true,
  };
}

export async function serveRoutes(
  routes: LocalRoute[],
  opts: { port: number; maxBodyBytes: number; onError?: (err: unknown) => void },
): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    void (async () => {
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      const route = routes.find((r) => path.startsWith(r.prefix));
      if (!route)
        return sendJson(res, 404, {
          error: 'not-found',
          reason: `nothing is served at ${path.slice(0, 200)}`,
        });
      const declared = Number(req.headers['content-length'] ?? 0);
      const body = declared > opts.maxBodyBytes ? undefined : await readBody(req, opts.maxBodyBytes);
      if (!body) {
        return sendJson(res, 413, {
          error: 'body-too-large',
          reason: `the body is over ${opts.maxBodyBytes} bytes; the limit is ${opts.maxBodyBytes}`,
        });
      }
      const answer = ((await route.handler(toLambdaEvent(req, body))) ?? {}) as Answer;
      const headers = Object.fromEntries(
        Object.entries(answer.headers ?? {}).map(([k, v]) => [k, String(v)]),
      );
      res.writeHead(answer.statusCode ?? 200, headers);
      res.end(answer.body ? Buffer.from(answer.body, answer.isBase64Encoded ? 'base64' : 'utf8') : undefined);
    })().catch((err) => {
      opts.onError?.(err);
      if (!res.headersSent)
        sendJson(res, 503, { error: 'unavailable', reason: 'a temporary failure; retry' });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}` };
}
