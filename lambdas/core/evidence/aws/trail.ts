/** CloudTrail LookupEvents, bounded: one attribute per call (the API's rule), a few pages, a window. */
import {
  type CloudTrailClient,
  type LookupAttributeKey,
  LookupEventsCommand,
  type Event as TrailEvent,
} from '@aws-sdk/client-cloudtrail';

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
  cloudtrail: CloudTrailClient,
  attribute: { key: LookupAttributeKey; value: string },
  window: { from: Date; to: Date },
  maxPages: number,
): Promise<TrailRecord[]> {
  const out: TrailRecord[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const res = await cloudtrail.send(
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
