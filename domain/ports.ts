/**
 * Ports: what a phase may touch. Their adapters live in adapters/aws/ and adapters/embedded/; the
 * Lambda wiring (runtime/) and the local runner (local/) choose which to plug in.
 *
 * Over 300 lines on purpose: this file is the contract between the domain and every backend, and a
 * reader (or a new adapter) should see all of it in one place. The store's five ports are small.
 */
import type { Clock } from './clock.js';
import type { FirebreakConfig } from './config.js';
import type { IncidentMemory } from './memory/port.js';
import type { SimilarResult } from './memory/records.js';
import type {
  Audience,
  Finding,
  Incident,
  IncidentStatus,
  MeasuredImpact,
  MitigationAction,
  NormalizedAlert,
  RootCause,
  Severity,
  Specialist,
  TimelineEvent,
  TokenUsage,
} from './model.js';
import type { JoinKind } from './timeline.js';

/**
 * The incident store, split by concern so a function names only what it touches. `IncidentStore`
 * is all of them, for the wiring and for callers that need several.
 */

/** Incidents and their timeline. */
export interface IncidentRecords {
  /** Writes a new incident; fails with ConflictError if the id exists. */
  create(incident: Incident): Promise<void>;
  get(id: string): Promise<Incident | undefined>;
  /** Applies a partial update; `expectStatus` guards against racing another writer. */
  update(
    id: string,
    patch: Partial<Omit<Incident, 'id'>>,
    opts?: { expectStatus?: IncidentStatus[] },
  ): Promise<Incident>;
  appendEvent(id: string, event: TimelineEvent): Promise<void>;
  /** Recorded events and the alerts that joined (`linkJoined`), in time order. */
  timeline(id: string): Promise<TimelineEvent[]>;
  /**
   * Incidents newest first, optionally only those in the given statuses. `before` pages on: only
   * incidents listed before that position (`listPosition` of the last one a page returned).
   */
  list(opts?: { statuses?: IncidentStatus[]; limit?: number; before?: string }): Promise<Incident[]>;
}

/** The alerts linked to each incident. */
export interface LinkedAlerts {
  /** Links an alert to the incident; false when this alert (source + event id) was already linked. */
  linkAlert(id: string, alert: NormalizedAlert): Promise<boolean>;
  alerts(id: string): Promise<NormalizedAlert[]>;
  /** How many alerts are linked to the incident: the linked alert items are the record, counted. */
  countLinkedAlerts(id: string): Promise<number>;
  /**
   * For alerts about to join incidents, in one consistent read: each incident as it is now
   * (absent when there is none), and whether each alert is linked to its incident already.
   */
  joinState(joins: AlertLink[]): Promise<{ incidents: Map<string, Incident>; linked: boolean[] }>;
  /**
   * Links alerts that joined their incidents, unconditionally and in as few requests as the table
   * allows. A linked alert item is keyed by its incident, source and event id, so writing it again
   * leaves one linked alert: callers check `joinState` first to know which alerts are new. The join
   * shows on the timeline (see `timeline`) from this item alone.
   */
  linkJoined(joins: Array<AlertLink & { kind: JoinKind; at: string }>): Promise<void>;
}

/** Who holds the open incident of a fingerprint, and a service's grouping window. */
export interface DedupClaims {
  /** Claims the open-incident slot for a fingerprint. Returns the holder when already claimed. */
  claimFingerprint(
    fingerprint: string,
    incidentId: string,
    expiresAt: Date,
  ): Promise<{ claimed: true } | { claimed: false; incidentId: string }>;
  releaseFingerprint(fingerprint: string, incidentId: string): Promise<void>;
  /** Who holds a dedup slot (a fingerprint, or `svc:<service>` for a grouping window), and since when. */
  dedupClaim(key: string): Promise<DedupClaim | undefined>;
  /**
   * Claims a service's grouping window (`DEDUP#svc:<service>`) until `until`, judged by the caller's
   * clock: an expired window is taken over, and the holder may extend its own. Returns the holder otherwise.
   */
  claimServiceWindow(
    service: string,
    incidentId: string,
    window: { now: Date; until: Date },
  ): Promise<{ claimed: true } | ({ claimed: false } & DedupClaim)>;
  releaseServiceWindow(service: string, incidentId: string): Promise<void>;
}

/** Webhook deliveries already processed (or being processed), so a redelivery is not processed twice. */
export interface DeliveryLedger {
  /**
   * Replay guard for a delivery id: `new` the first time (the caller processes it, then calls
   * finishDelivery), `done` once finished, `in-flight` while another caller holds an unexpired lease.
   */
  beginDelivery(
    key: string,
    opts: { now: Date; leaseSeconds: number },
  ): Promise<'new' | 'in-flight' | 'done'>;
  finishDelivery(key: string, opts: { now: Date; keepHours: number }): Promise<void>;
  /** Drops an unfinished delivery marker so the sender's retry is processed, not refused as a replay. */
  abandonDelivery(key: string): Promise<void>;
}

/** The one-time token of an incident's pending approval. */
export interface ApprovalTokens {
  /** Stores the hash of an approval token for an incident, with its expiry. */
  putApprovalToken(incidentId: string, record: ApprovalTokenRecord): Promise<void>;
  getApprovalToken(incidentId: string): Promise<ApprovalTokenRecord | undefined>;
  /** Marks the token used; false when it was used already (a replay). */
  consumeApprovalToken(incidentId: string, tokenHash: string, usedAt: string): Promise<boolean>;
}

export interface IncidentStore
  extends IncidentRecords,
    LinkedAlerts,
    DedupClaims,
    DeliveryLedger,
    ApprovalTokens {}

/** Where an incident sits in the newest-first listing: the status index's sort key. */
export const listPosition = (incident: Pick<Incident, 'detectedAt' | 'id'>) =>
  `${incident.detectedAt}#${incident.id}`;

/** An alert linked (or to be linked) to an incident. */
export interface AlertLink {
  incidentId: string;
  alert: NormalizedAlert;
}

export interface DedupClaim {
  incidentId: string;
  /** When the claim was made (ISO wall time); absent on claims written before it was recorded. */
  claimedAt?: string;
  /** When the claim lapses (ISO): its TTL, or the end of a grouping window. */
  expiresAt?: string;
}

export interface ApprovalTokenRecord {
  tokenHash: string;
  /** The Step Functions task token, needed to answer; in AWS it is encrypted at rest by the table key. */
  taskToken: string;
  action: MitigationAction;
  expiresAt: string;
  usedAt?: string;
}

export type MessageKind =
  | 'declared'
  | 'status-update'
  | 'approval-request'
  | 'mitigation-proposed'
  | 'mitigation-applied'
  | 'escalation'
  | 'all-clear'
  | 'automation-failure'
  | 'handoff';

/** One message for one audience, in every form a subscriber may receive it. */
export interface OutboundMessage {
  kind: MessageKind;
  incidentId: string;
  severity: Severity;
  audience: Audience;
  subject: string;
  /** Full email body. */
  body: string;
  /** At most 160 characters. */
  sms: string;
}

export interface Notifier {
  publish(message: OutboundMessage): Promise<void>;
}

export interface ServiceInfo {
  name: string;
  tier?: 'critical' | 'high' | 'standard' | 'internal';
  owner?: string;
  dependsOn?: string[];
  alarms?: string[];
  userFacing?: boolean;
}

export interface MetricSeries {
  id: string;
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  stat?: string;
  unit?: string;
  service?: string;
  points: Array<[string, number]>;
}

export interface LogSignature {
  id: string;
  service?: string;
  level: string;
  signature: string;
  sample: string;
  count: number;
  firstSeen: string;
  lastSeen: string;
}

export interface ChangeRecord {
  id: string;
  kind: 'deployment' | 'change';
  service?: string;
  at: string;
  summary: string;
  version?: string;
  previousVersion?: string;
  status?: string;
  actor?: string;
  resource?: string;
  /**
   * Where the record comes from, when the source says: `cloudtrail` for API calls, a provider's
   * feed (`aws-health`, a vendor's status page) or the service's own events (`elasticache`).
   */
  source?: string;
}

export interface AlarmEvent {
  id: string;
  name: string;
  service?: string;
  state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  at: string;
}

export interface SecuritySignal {
  id: string;
  kind: string;
  at: string;
  source?: string;
  count: number;
  detail: string;
}

export interface TimeWindow {
  from: string;
  to: string;
}

/** The questions an investigator asks. Every answer carries ids that findings cite. */
export interface Evidence {
  services(): Promise<ServiceInfo[]>;
  metrics(q: TimeWindow & { services?: string[] }): Promise<MetricSeries[]>;
  logs(q: TimeWindow & { services?: string[] }): Promise<LogSignature[]>;
  changes(q: TimeWindow & { services?: string[] }): Promise<ChangeRecord[]>;
  alarms(q: TimeWindow & { services?: string[] }): Promise<AlarmEvent[]>;
  security(q: TimeWindow): Promise<SecuritySignal[]>;
  /** Current state of the incident's alarm, for the recovery check. */
  alarmState(alarm: { name?: string; service?: string }): Promise<'OK' | 'ALARM' | 'INSUFFICIENT_DATA'>;
}

export interface InvestigationContext {
  incident: Incident;
  alerts: NormalizedAlert[];
  window: TimeWindow;
  services: ServiceInfo[];
  /** Similar past incidents, looked up on first call (absent when no memory is wired; domain/memory/). */
  recall?: () => Promise<SimilarResult | undefined>;
}

export interface TriageDecision {
  severity: Severity;
  specialists: Specialist[];
  services: string[];
  rationale: string;
  /** The measured user impact behind the severity (the offline measurement; a model keeps it). */
  impact?: MeasuredImpact;
}

export interface AnalystResult<T> {
  value: T;
  /** True when the step fell back to the offline analyst. */
  degraded?: boolean;
  usage?: TokenUsage;
}

export interface Analyst {
  readonly name: string;
  triage(ctx: InvestigationContext): Promise<AnalystResult<TriageDecision>>;
  investigate(specialist: Specialist, ctx: InvestigationContext): Promise<AnalystResult<Finding>>;
  synthesize(findings: Finding[], ctx: InvestigationContext): Promise<AnalystResult<RootCause>>;
  /** Optional narrative postmortem; the template writer is used when absent or degraded. */
  writePostmortem?(incident: Incident, timeline: TimelineEvent[]): Promise<AnalystResult<string> | undefined>;
}

export interface ActionOutcome {
  status: 'applied' | 'dry-run' | 'failed';
  before?: unknown;
  after?: unknown;
  detail: string;
  /**
   * From a dry-run: the concrete parameters the action would use (the exact version to roll back
   * to, the absolute count to scale to), so a human approves exactly what will run.
   */
  resolvedParams?: Record<string, string | number | boolean>;
}

/** Allow-listed mitigation actions. Only code chooses what runs; nothing here reads alert text. */
export interface Actions {
  execute(action: MitigationAction, opts: { dryRun: boolean; incident: Incident }): Promise<ActionOutcome>;
}

/** Where finished documents go besides the store (a file locally). */
export interface Artifacts {
  writePostmortem(incidentId: string, markdown: string): Promise<string | undefined>;
}

/** Secret key material for signing approval links (a Secrets Manager secret in AWS). */
export interface SigningKeySource {
  key(): Promise<Uint8Array>;
}

/** Signed, expiring approve/reject links in approval requests (the approval endpoint's address). */
export interface ApprovalLinkSettings {
  baseUrl: string;
  keys: SigningKeySource;
}

/** Answers the engine's waiting approval task (SendTaskSuccess / SendTaskFailure in AWS). */
export interface TaskAnswerer {
  approve(taskToken: string, output: Record<string, unknown>): Promise<void>;
  reject(taskToken: string, error: string, cause: string): Promise<void>;
}

/** Where response figures go as metrics (CloudWatch embedded metric format in AWS). */
export interface MetricsSink {
  /** One incident's figures in seconds, cut by the given dimensions. */
  record(figures: Record<string, number>, dimensions: Record<string, string>, at: Date): Promise<void>;
}

export interface Ports {
  store: IncidentStore;
  notifier: Notifier;
  evidence: Evidence;
  analyst: Analyst;
  actions: Actions;
  artifacts: Artifacts;
  clock: Clock;
  config: FirebreakConfig;
  /** Response metrics (optional: locally they stay in the record and `firebreak report`). */
  metrics?: MetricsSink;
  /** Approval links (optional: without them the approval request names the CLI commands). */
  approvalLinks?: ApprovalLinkSettings;
  /** Past incidents (optional: without it nothing is remembered or recalled). */
  memory?: IncidentMemory;
}
