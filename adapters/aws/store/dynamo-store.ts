import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Incident, IncidentStatus, NormalizedAlert, TimelineEvent } from '../../../domain/model.js';
import type { AlertLink, ApprovalTokenRecord, IncidentStore } from '../../../domain/ports.js';
import type { JoinKind } from '../../../domain/timeline.js';
import { DynamoApprovalTokens } from './approval-tokens.js';
import { DynamoDedupClaims } from './dedup-claims.js';
import { DynamoDeliveryLedger } from './delivery-ledger.js';
import { DynamoIncidentRecords } from './incidents.js';
import { DynamoLinkedAlerts } from './linked-alerts.js';
import { StoreTable } from './table.js';

/**
 * IncidentStore on the DynamoDB API, one adapter per port over one table: the same code runs
 * against DynamoDB in AWS and dynalite locally.
 *
 * @example
 * const store = new DynamoIncidentStore(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'firebreak');
 */
export class DynamoIncidentStore implements IncidentStore {
  private readonly incidents: DynamoIncidentRecords;
  private readonly links: DynamoLinkedAlerts;
  private readonly claims: DynamoDedupClaims;
  private readonly deliveries: DynamoDeliveryLedger;
  private readonly approvals: DynamoApprovalTokens;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    const table = new StoreTable(doc, tableName);
    this.incidents = new DynamoIncidentRecords(table);
    this.links = new DynamoLinkedAlerts(table);
    this.claims = new DynamoDedupClaims(table);
    this.deliveries = new DynamoDeliveryLedger(table);
    this.approvals = new DynamoApprovalTokens(table);
  }

  create(incident: Incident) {
    return this.incidents.create(incident);
  }
  get(id: string) {
    return this.incidents.get(id);
  }
  update(id: string, patch: Partial<Omit<Incident, 'id'>>, opts?: { expectStatus?: IncidentStatus[] }) {
    return this.incidents.update(id, patch, opts);
  }
  appendEvent(id: string, event: TimelineEvent) {
    return this.incidents.appendEvent(id, event);
  }
  timeline(id: string) {
    return this.incidents.timeline(id);
  }
  list(opts?: { statuses?: IncidentStatus[]; limit?: number; before?: string }) {
    return this.incidents.list(opts);
  }

  linkAlert(id: string, alert: NormalizedAlert) {
    return this.links.linkAlert(id, alert);
  }
  alerts(id: string) {
    return this.links.alerts(id);
  }
  countLinkedAlerts(id: string) {
    return this.links.countLinkedAlerts(id);
  }
  joinState(joins: AlertLink[]) {
    return this.links.joinState(joins);
  }
  linkJoined(joins: Array<AlertLink & { kind: JoinKind; at: string }>) {
    return this.links.linkJoined(joins);
  }

  claimFingerprint(fingerprint: string, incidentId: string, expiresAt: Date) {
    return this.claims.claimFingerprint(fingerprint, incidentId, expiresAt);
  }
  releaseFingerprint(fingerprint: string, incidentId: string) {
    return this.claims.releaseFingerprint(fingerprint, incidentId);
  }
  dedupClaim(key: string) {
    return this.claims.dedupClaim(key);
  }
  claimServiceWindow(service: string, incidentId: string, window: { now: Date; until: Date }) {
    return this.claims.claimServiceWindow(service, incidentId, window);
  }
  releaseServiceWindow(service: string, incidentId: string) {
    return this.claims.releaseServiceWindow(service, incidentId);
  }

  beginDelivery(key: string, opts: { now: Date; leaseSeconds: number }) {
    return this.deliveries.beginDelivery(key, opts);
  }
  finishDelivery(key: string, opts: { now: Date; keepHours: number }) {
    return this.deliveries.finishDelivery(key, opts);
  }
  abandonDelivery(key: string) {
    return this.deliveries.abandonDelivery(key);
  }

  putApprovalToken(incidentId: string, record: ApprovalTokenRecord) {
    return this.approvals.putApprovalToken(incidentId, record);
  }
  getApprovalToken(incidentId: string) {
    return this.approvals.getApprovalToken(incidentId);
  }
  consumeApprovalToken(incidentId: string, tokenHash: string, usedAt: string) {
    return this.approvals.consumeApprovalToken(incidentId, tokenHash, usedAt);
  }
}
