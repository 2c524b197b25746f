/**
 * Counts the DynamoDB request units the functions consume: a pass-through HTTP proxy in front of
 * dynalite that asks every item operation for ReturnConsumedCapacity TOTAL and adds up what comes
 * back. dynalite computes capacity as DynamoDB documents it for the table (1 write unit per KB
 * written, 1 read unit per 4 KB read strongly consistent, half that eventually consistent); it does
 * not count units for global secondary index updates, so writes are a lower bound.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan']);
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);

export interface DynamoUsage {
  readRequestUnits: number;
  writeRequestUnits: number;
  /** Requests by operation, e.g. { GetItem: 12 }. */
  requests: Record<string, number>;
}

type Capacity = { CapacityUnits?: number } | Array<{ CapacityUnits?: number }> | undefined;
const unitsOf = (c: Capacity): number =>
  (Array.isArray(c) ? c : c ? [c] : []).reduce((n, x) => n + (x.CapacityUnits ?? 0), 0);

export class DynamoMeter {
  readonly usage: DynamoUsage = { readRequestUnits: 0, writeRequestUnits: 0, requests: {} };
  private server?: Server;

  /** Starts the proxy in front of `target`; returns the endpoint to give the functions. */
  async start(target: string): Promise<string> {
    const upstream = new URL(target);
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
        let body = Buffer.concat(chunks);
        const metered = READS.has(operation) || WRITES.has(operation);
        if (metered) {
          body = Buffer.from(
            JSON.stringify({ ...JSON.parse(body.toString()), ReturnConsumedCapacity: 'TOTAL' }),
          );
        }
        this.usage.requests[operation] = (this.usage.requests[operation] ?? 0) + 1;
        const headers = { ...req.headers, 'content-length': String(body.length) };
        const out = request(
          { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers },
          (up) => {
            const answer: Buffer[] = [];
            up.on('data', (c: Buffer) => answer.push(c));
            up.on('end', () => {
              const text = Buffer.concat(answer);
              if (metered && up.statusCode === 200) {
                const units = unitsOf(JSON.parse(text.toString()).ConsumedCapacity);
                if (READS.has(operation)) this.usage.readRequestUnits += units;
                else this.usage.writeRequestUnits += units;
              }
              res.writeHead(up.statusCode ?? 500, up.headers);
              res.end(text);
            });
          },
        );
        out.on('error', (err) => {
          res.writeHead(502);
          res.end(String(err));
        });
        out.end(body);
      });
    });
    await new Promise<void>((ok) => this.server?.listen(0, '127.0.0.1', () => ok()));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    await new Promise<void>((ok) => (this.server ? this.server.close(() => ok()) : ok()));
  }
}
