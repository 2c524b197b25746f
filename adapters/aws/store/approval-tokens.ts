import type { ApprovalTokenRecord, ApprovalTokens } from '../../../domain/ports.js';
import { keys, type StoreTable, TABLE } from './table.js';

/** How long an approval record is kept after the approval itself expires. */
const APPROVAL_KEPT_SECONDS = 7 * 86_400;

/** The pending approval of an incident, `INC#<id>` / `APPROVAL`: a token hash, used once. */
export class DynamoApprovalTokens implements ApprovalTokens {
  constructor(private readonly table: StoreTable) {}

  async putApprovalToken(incidentId: string, record: ApprovalTokenRecord): Promise<void> {
    const { expiresAt, ...rest } = record;
    await this.table.put({
      Item: {
        ...keys.approval(incidentId),
        ...rest,
        approvalExpiresAt: expiresAt,
        // The TTL attribute must be a Number of epoch seconds: DynamoDB TTL skips an item whose
        // attribute is any other type (DynamoDB developer guide, "Using time to live"). The record
        // (with its task token) outlives the approval by a week, for whoever asks why it expired.
        [TABLE.ttlAttribute]: Math.floor(Date.parse(expiresAt) / 1000) + APPROVAL_KEPT_SECONDS,
      },
    });
  }

  async getApprovalToken(incidentId: string): Promise<ApprovalTokenRecord | undefined> {
    const item = await this.table.get(keys.approval(incidentId), { consistent: true });
    if (!item) return undefined;
    const { pk: _pk, sk: _sk, approvalExpiresAt, expiresAt, ...record } = item;
    // Records written before the TTL became numeric hold the ISO expiry in the TTL attribute.
    return { ...record, expiresAt: approvalExpiresAt ?? expiresAt } as ApprovalTokenRecord;
  }

  async consumeApprovalToken(incidentId: string, tokenHash: string, usedAt: string): Promise<boolean> {
    const used = await this.table.updateIf({
      Key: keys.approval(incidentId),
      UpdateExpression: 'SET usedAt = :usedAt',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(usedAt) AND tokenHash = :hash',
      ExpressionAttributeValues: { ':usedAt': usedAt, ':hash': tokenHash },
    });
    return used !== undefined;
  }
}
