/** CloudTrail LookupEvents, bounded: one attribute per call (the API's rule), a few pages, a window. */
import {
  type CloudTrailClient,
  type LookupAttributeKey,
  LookupEventsCommand,
  type Event as TrailEvent,
} from '@aws-sdk/client-cloudtrail';

/**
 * A shared pace for one API: `acquire` resolves when the caller may make one call. CloudTrail allows
 * LookupEvents two requests a second per account and region (CloudTrail API reference,
 * LookupEvents), and the evidence phases run in separate Lambdas at once, so the pace must be shared
 * between them (adapters/aws/store/rate-limiter.ts), not kept in one process.
 */
export interface RateLimiter {
  acquire(): Promise<void>;
}

/** The CloudTrail client and the pace its LookupEvents calls keep. */
export interface Trail {
  client: CloudTrailClient;
  limiter?: RateLimiter;
}

export interface TrailRecord {
  id: string;
  name: string;
  source: string;
  at: string;
  user?: string;
  resources: string[];
  // biome-ignore lint/suspicious/noExplicitAny: CloudTrail's per-service request shapes
  request: Record<string, any>;
  // biome-ignore lint/suspicious/noExplicitAny: CloudTrail's per-service response shapes
  response: Record<string, any>;
  errorCode?: string;
  sourceIp?: string;
}

/** One CloudTrail event with its JSON body unpacked. */
export function trailRecord(e: TrailEvent): TrailRecord | undefined {
  if (!e.EventId || !e.EventName || !e.EventTime) return undefined;
  let body: Record<string, unknown> = {};
  try {
    body = e.CloudTrailEvent ? (JSON.parse(e.CloudTrailEvent) as Record<string, unknown>) : {};
  } catch {
    body = {};
  }
  const identity = (body.userIdentity ?? {}) as { arn?: string; userName?: string };
  return {
    id: e.EventId,
    name: e.EventName,
    source: e.EventSource ?? String(body.eventSource ?? ''),
    at: new Date(e.EventTime).toISOString(),
    user: e.Username ?? identity.userName ?? identity.arn,
    resources: (e.Resources ?? []).map((r) => r.ResourceName).filter((n): n is string => !!n),
    request: (body.requestParameters ?? {}) as Record<string, unknown>,
    response: (body.responseElements ?? {}) as Record<string, unknown>,
    errorCode: typeof body.errorCode === 'string' ? body.errorCode : undefined,
    sourceIp: typeof body.sourceIPAddress === 'string' ? body.sourceIPAddress : undefined,
  };
}

export async function lookup(
  trail: Trail,
  attribute: { key: LookupAttributeKey; value: string },
  window: { from: Date; to: Date },
  maxPages: number,
): Promise<TrailRecord[]> {
  const out: TrailRecord[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    await trail.limiter?.acquire();
    const res = await trail.client.send(
      new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: attribute.key, AttributeValue: attribute.value }],
        StartTime: window.from,
        EndTime: window.to,
        MaxResults: 50,
        NextToken: token,
      }),
    );
    for (const e of res.Events ?? []) {
      const r = trailRecord(e);
      if (r) out.push(r);
    }
    token = res.NextToken;
    pages++;
  } while (token && pages < maxPages);
  return out;
}
