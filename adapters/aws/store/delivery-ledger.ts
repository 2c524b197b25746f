import type { DeliveryLedger } from '../../../domain/ports.js';
import { keys, type StoreTable, TABLE } from './table.js';

/** Webhook replay markers, `DELIVERY#<source>#<delivery id>` / `DELIVERY`, kept a while after (TTL). */
export class DynamoDeliveryLedger implements DeliveryLedger {
  constructor(private readonly table: StoreTable) {}

  async beginDelivery(
    key: string,
    opts: { now: Date; leaseSeconds: number },
  ): Promise<'new' | 'in-flight' | 'done'> {
    const now = opts.now.getTime();
    const begun = await this.table.putIf({
      Item: {
        ...keys.delivery(key),
        state: 'processing',
        leaseEndsAt: now + opts.leaseSeconds * 1000,
        [TABLE.ttlAttribute]: Math.floor(now / 1000) + Math.max(opts.leaseSeconds, 3600),
      },
      // A lease left behind by a crashed attempt lapses, so the sender's retry is processed.
      ConditionExpression: 'attribute_not_exists(pk) OR (#state = :processing AND leaseEndsAt < :now)',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':processing': 'processing', ':now': now },
    });
    if (begun) return 'new';
    const marker = await this.table.get(keys.delivery(key), { consistent: true });
    return marker?.state === 'done' ? 'done' : 'in-flight';
  }

  async finishDelivery(key: string, opts: { now: Date; keepHours: number }): Promise<void> {
    await this.table.put({
      Item: {
        ...keys.delivery(key),
        state: 'done',
        doneAt: opts.now.toISOString(),
        [TABLE.ttlAttribute]: Math.floor(opts.now.getTime() / 1000) + opts.keepHours * 3600,
      },
    });
  }

  async abandonDelivery(key: string): Promise<void> {
    // False when the delivery was finished meanwhile: a finished marker stays.
    await this.table.deleteIf({
      Key: keys.delivery(key),
      ConditionExpression: '#state = :processing',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':processing': 'processing' },
    });
  }
}
