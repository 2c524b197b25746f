/**
 * The single-table layout, shared by the store, the embedded local table and the CDK construct,
 * so the three cannot drift apart.
 *
 *   pk                    sk                            what
 *   INC#<id>              META                          the incident (status, severity, times, root cause…)
 *   INC#<id>              EVT#<iso time>#<seq>          append-only timeline
 *   INC#<id>              ALERT#<source>#<event id>     every linked alert, raw payload kept
 *   INC#<id>              APPROVAL                      the pending approval (token hash, expiry, use)
 *   DEDUP#<fingerprint>   DEDUP                         the open incident for a fingerprint (TTL)
 *   RATE#<api>            SLOT#<epoch ms>               one call's turn under a shared rate limit (TTL)
 *   MEM#fp|svc|cat#<key>  <detectedAt>#<id>             a past incident, found by alarm, service or category
 *                                                       (domain/memory/records.ts)
 */
export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  statusIndex: 'byStatus',
  statusIndexPartitionKey: 'status',
  statusIndexSortKey: 'listedAt',
  ttlAttribute: 'expiresAt',
} as const;

export const keys = {
  incident: (id: string) => ({ pk: `INC#${id}`, sk: 'META' }),
  event: (id: string, at: string, seq: string) => ({ pk: `INC#${id}`, sk: `EVT#${at}#${seq}` }),
  alert: (id: string, source: string, eventId: string) => ({
    pk: `INC#${id}`,
    sk: `ALERT#${source}#${eventId}`,
  }),
  approval: (id: string) => ({ pk: `INC#${id}`, sk: 'APPROVAL' }),
  dedup: (fingerprint: string) => ({ pk: `DEDUP#${fingerprint}`, sk: 'DEDUP' }),
  rateSlot: (api: string, slotMs: number) => ({ pk: `RATE#${api}`, sk: `SLOT#${slotMs}` }),
};
