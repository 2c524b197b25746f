import type { DedupClaim, DedupClaims } from '../../../domain/ports.js';
import { keys, type StoreTable, TABLE } from './table.js';

/**
 * Dedup and grouping claims, `DEDUP#<fingerprint>` / `DEDUP`: one conditional put decides who opens
 * the incident for a fingerprint (`DEDUP#svc:<service>` for a service's grouping window).
 */
export class DynamoDedupClaims implements DedupClaims {
  constructor(private readonly table: StoreTable) {}

  async claimFingerprint(
    fingerprint: string,
    incidentId: string,
    expiresAt: Date,
  ): Promise<{ claimed: true } | { claimed: false; incidentId: string }> {
    const nowEpoch = Math.floor(Date.now() / 1000);
    const claimed = await this.table.putIf({
      Item: {
        ...keys.dedup(fingerprint),
        incidentId,
        claimedAt: new Date().toISOString(),
        [TABLE.ttlAttribute]: Math.floor(expiresAt.getTime() / 1000),
      },
      // An expired claim that TTL has not swept yet does not block a new incident.
      ConditionExpression: 'attribute_not_exists(pk) OR #ttl < :now',
      ExpressionAttributeNames: { '#ttl': TABLE.ttlAttribute },
      ExpressionAttributeValues: { ':now': nowEpoch },
    });
    if (claimed) return { claimed: true };
    const holder = await this.table.get(keys.dedup(fingerprint), { consistent: true });
    return { claimed: false, incidentId: String(holder?.incidentId ?? '') };
  }

  async releaseFingerprint(fingerprint: string, incidentId: string): Promise<void> {
    // False when it is someone else's claim (or none): nothing of ours to release.
    await this.table.deleteIf({
      Key: keys.dedup(fingerprint),
      ConditionExpression: 'incidentId = :id',
      ExpressionAttributeValues: { ':id': incidentId },
    });
  }

  async dedupClaim(key: string): Promise<DedupClaim | undefined> {
    const item = await this.table.get(keys.dedup(key), { consistent: true });
    if (!item?.incidentId) return undefined;
    const ttl = item[TABLE.ttlAttribute];
    return {
      incidentId: String(item.incidentId),
      ...(typeof item.claimedAt === 'string' ? { claimedAt: item.claimedAt } : {}),
      ...(typeof ttl === 'number' ? { expiresAt: new Date(ttl * 1000).toISOString() } : {}),
    };
  }

  async claimServiceWindow(
    service: string,
    incidentId: string,
    window: { now: Date; until: Date },
  ): Promise<{ claimed: true } | ({ claimed: false } & DedupClaim)> {
    const claimed = await this.table.putIf({
      Item: {
        ...keys.dedup(`svc:${service}`),
        incidentId,
        // Wall time of the write (for the takeover lease); the window itself runs on the caller's clock.
        claimedAt: new Date().toISOString(),
        windowEndsAt: window.until.toISOString(),
        [TABLE.ttlAttribute]: Math.floor(window.until.getTime() / 1000),
      },
      // ISO strings compare in time order: an ended window is free, and the holder may extend its own.
      ConditionExpression: 'attribute_not_exists(pk) OR windowEndsAt <= :now OR incidentId = :id',
      ExpressionAttributeValues: { ':now': window.now.toISOString(), ':id': incidentId },
    });
    if (claimed) return { claimed: true };
    const holder = await this.dedupClaim(`svc:${service}`);
    // Released between our write and our read: the caller retries and may win the window.
    return { claimed: false, ...(holder ?? { incidentId: '' }) };
  }

  async releaseServiceWindow(service: string, incidentId: string): Promise<void> {
    await this.releaseFingerprint(`svc:${service}`, incidentId);
  }
}
