/**
 * A rate limit shared by every Lambda of the stack, kept in the incident table: time is cut into
 * slots of 1/perSecond seconds, a caller claims the next free slot with a conditional put (one
 * caller per slot) and waits for it to begin. CloudTrail LookupEvents allows two requests a second
 * per account and region (CloudTrail API reference, LookupEvents); the triage, specialist, synthesis,
 * assessment and planning Lambdas all read CloudTrail, often at the same moment, and a throttled
 * look-up that outlasts the SDK's retries reads as "no recent changes".
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../../../domain/clock.js';
import { TransientError } from '../../../domain/errors.js';
import type { RateLimiter } from '../evidence/trail.js';
import { keys, StoreTable, TABLE } from './table.js';

export interface SharedRateLimit {
  /** The API being paced, e.g. `cloudtrail-lookup-events`. */
  api: string;
  perSecond: number;
  /** Longest a caller waits for a turn before giving up with a TransientError (the flow retries). */
  maxWaitMs: number;
}

export class DynamoRateLimiter implements RateLimiter {
  private readonly slotMs: number;
  private readonly table: StoreTable;

  constructor(
    db: DynamoDBDocumentClient,
    tableName: string,
    private readonly limit: SharedRateLimit,
    private readonly clock: Clock,
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    this.slotMs = Math.ceil(1000 / limit.perSecond);
    this.table = new StoreTable(db, tableName);
  }

  async acquire(): Promise<void> {
    const now = this.clock.now().getTime();
    // The next slot that has not begun: a call made at a slot's start keeps consecutive calls at
    // least one slot apart, whichever Lambda makes them.
    let slot = Math.ceil(now / this.slotMs) * this.slotMs;
    const last = now + this.limit.maxWaitMs;
    for (; slot <= last; slot += this.slotMs) {
      if (await this.claim(slot)) {
        const wait = slot - this.clock.now().getTime();
        if (wait > 0) await this.sleep(wait);
        return;
      }
    }
    throw new TransientError(
      `${this.limit.api}: no turn free within ${this.limit.maxWaitMs} ms at ${this.limit.perSecond}/s`,
    );
  }

  private claim(slot: number): Promise<boolean> {
    return this.table.putIf({
      Item: {
        ...keys.rateSlot(this.limit.api, slot),
        // Numeric epoch seconds: DynamoDB TTL ignores any other type.
        [TABLE.ttlAttribute]: Math.floor(slot / 1000) + 3600,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  }
}
