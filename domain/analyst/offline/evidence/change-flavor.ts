/** What kind of change a change record is (a deploy, a flag, a network rule…), from its own words. */
import type { Category } from '../../../model.js';
import type { ChangeRecord } from '../../../ports.js';
import { lower } from '../measure.js';

export type ChangeFlavor =
  | 'deployment'
  | 'flag'
  | 'network'
  | 'iam'
  | 'database'
  | 'capacity'
  | 'config'
  /** Something the platform did or reported (an RDS event, a health notice): not a human change. */
  | 'platform'
  /** Bookkeeping that cannot affect traffic: tags, log retention, dashboards, alarm definitions, backups taken, support cases, a queue's messages consumed by hand. */
  | 'benign';

export const FLAVORS: Array<[ChangeFlavor, RegExp]> = [
  [
    'flag',
    /feature.?flag|\bflag\b|toggle|launchdarkly|unleash|split\.io|flagsmith|kill.?switch|rollout (percentage|%)/i,
  ],
  // A load balancer's or ingress controller's routing (listeners, their rules, target groups, ingress
  // routes) is the application's request routing, configured like any setting: unless the change
  // also touches the network underneath (a security group, a firewall, a route, a subnet).
  [
    'config',
    /^(?![\s\S]*(?:security.?group|nacl|network acl|firewall|\bfw\b|appliance|route.?table|subnet|\bvpc\b|transit gateway|peering|cidr))[\s\S]*(?:listener|target.?group|ingress.?routes?\b|\bingress\/|\bingresses\b|networking\.k8s\.io)/i,
  ],
  [
    'network',
    /security.?group|ingress|egress|nacl|network acl|route.?table|\brouter\b|router-id|\bbgp\b|\bospf\b|loopback|\bmtu\b|route ?53|\bdns\b|record.?sets?|cname|hosted.?zone|vpc|subnet|peering|transit gateway|nat gateway|vpn (?:connection|gateway|attachment)|(?:create|replace|delete) route\b|endpoint|listener|target.?group|firewall|cidr|load balancer|cloudfront|waf rule/i,
  ],
  [
    'capacity',
    /desired.?count|autoscal|scal(e|ing)|instance.?(type|class)|capacity|concurren|provisioned|max.?size|min.?size|task count|replicas|memory (limit|size)|cpu (limit|units)|downsiz|right-?siz|throughput|iops|shard/i,
  ],
  [
    'iam',
    // A cache, scaling or retention policy is a setting of that thing, not a permission.
    /\biam\b|(?<!(?:cache|origin request|response headers|lifecycle|scaling|retention) )polic(?:y|ies)|role(?!\s*=)|permission|assumerole|access.?key|credential|secret|kms|grant|revoke(?!securitygroup)/i,
  ],
  [
    'database',
    /parameter group|\bdb\b|database|rds|aurora|dynamo|index|schema|migration|vacuum|max_connections|replica/i,
  ],
];

export const FLAVOR_CATEGORY: Record<ChangeFlavor, Category> = {
  deployment: 'deployment',
  flag: 'configuration',
  network: 'network',
  iam: 'configuration',
  database: 'database',
  // Someone cut capacity by configuration: the fix is to scale back, the cause is the change.
  capacity: 'configuration',
  config: 'configuration',
  platform: 'unknown',
  benign: 'unknown',
};

export const BENIGN =
  /^(CreateTags|DeleteTags|TagResource|UntagResource|AddTagsToResource|RemoveTagsFromResource|PutRetentionPolicy|DeleteRetentionPolicy|PutDashboard|PutMetricAlarm|DeleteAlarms|PutBucketTagging|UpdateDescription|Create(?:DB)?(?:Cluster)?Snapshot|CreateBackup|StartBackupJob|CreateCase|AddCommunicationToCase|ResolveCase|DeleteMessage(?:Batch)?|ChangeMessageVisibility(?:Batch)?|ReceiveMessage)/i;

/** A responder's note on the incident (a timeline entry, an annotation): words about it, not a change to anything. */
const RESPONDERS_NOTE =
  /^(?:(?:Add|Create|Post)?(?:Note|Comment|Annotation)|incident[-_ ]?(?:notes?|timeline)|annotations?)$/i;

/**
 * Settings that only say what gets logged (`log_min_duration_statement 2000 -> 1000`, a log level)
 * or when future maintenance may run: the system does the same work now.
 */
const LOGGING_SETTING =
  /^\s*(?:set\s+)?(?:log_[a-z_]+|log[ _-]?level|slow_query_log\w*|long_query_time|general_log)\b[^,;]*$/i;
/**
 * A maintenance or backup window moved, or how long backups are kept, and nothing else in the
 * record: when future work runs, or what is retained of past work.
 */
const SCHEDULE_ONLY =
  /\b(?:(?:preferred ?)?(?:maintenance|backup) ?window|backup ?retention(?: ?period)?)\b.{0,40}(?:\b(?:changed|moved|set|to)\b|->)[^,;]*$/i;
/** A record that names its call and resource first (`ModifyDBParameterGroup pg-params: log_min_…`) is read from the setting. */
const LEAD = /^[^:\s]+(?: [^:\s]+)?:\s+/;
const bookkeepingSetting = (summary: string): boolean =>
  [summary, summary.replace(LEAD, '')].some((s) => LOGGING_SETTING.test(s) || SCHEDULE_ONLY.test(s));

/** Done by AWS itself (its service principal, or a service event id) rather than by someone. */
/**
 * Feeds in which the platform or a provider reports what it did (a node recovered, an instance's
 * status check failed, a vendor's maintenance): records from them with no actor of ours are its
 * word, not a change anyone made.
 */
const PLATFORM_SOURCE =
  /^(?:aws[.-]?health|health|statuspage|vendor-status(?::.*)?|(?:aws\.)?(?:ec2|rds|rds-events|elasticache|memorydb|docdb|ecs|eks|autoscaling|application-autoscaling|batch|aws-batch))$/i;

/** Monitoring that measures and reports (packet loss between hosts, a probe's result): it changes nothing. */
const MONITOR = /\b(?:monitor(?:ing)?|smokeping|pingdom|nagios|icinga|zabbix|uptime|mtr)\b/i;
/** An event name that says someone made or undid something, as opposed to a measurement. */
const MAKES =
  /^(?:Create|Update|Put|Modify|Delete|Set|Enable|Disable|Deploy|Apply|Change|Start|Stop|Register|Attach|Detach|Add|Remove|Replace|Associate|Reboot|Restart)/i;

export const isPlatformEvent = (c: ChangeRecord): boolean =>
  c.kind === 'change' &&
  (/\.amazonaws\.com$|^(?:aws|amazon web services)$/i.test(c.actor ?? '') ||
    /^(RDS-EVENT|AWS_[A-Z_]+|EC2 Instance|ECS Task State)/i.test(c.status ?? '') ||
    (!c.actor && PLATFORM_SOURCE.test(c.source ?? '')) ||
    ((MONITOR.test(c.source ?? '') || MONITOR.test(c.actor ?? '')) && !MAKES.test(c.status ?? '')));

/** A lifecycle, retention or expiration rule of ours that the platform applied. */
const OUR_RULE_APPLIED =
  /\b(?:lifecycle|retention|expiration) (?:policy|rule|configuration)\b[^.]*\b(?:expired|deleted|removed|transitioned)\b/i;

/**
 * CloudTrail names a call in one word (`ReplaceTransitGatewayRoute`, `CreateNetworkAclEntry`,
 * `DeleteNatGateway`): its words apart, it reads like the summary a person would write, so the
 * API's own vocabulary decides the kind of change even where the summary names a database it reached.
 * @example apiWords('ReplaceTransitGatewayRoute') // 'Replace Transit Gateway Route'
 */
export const apiWords = (eventName = ''): string =>
  /^[A-Z][a-z]+[A-Z]/.test(eventName)
    ? eventName.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    : '';

/**
 * `names`: the services we know. A summary that names one ("for traffic-router client agents")
 * says whom the change is for, not what kind of change it is, so those names are read as blanks.
 */
export function changeFlavor(c: ChangeRecord, names: readonly string[] = []): ChangeFlavor {
  if (c.kind === 'deployment') return 'deployment';
  // The platform carrying out a rule we wrote (an image lifecycle policy expiring tags) is our
  // configuration taking effect, not the platform's doing.
  if (isPlatformEvent(c)) return OUR_RULE_APPLIED.test(c.summary) ? 'config' : 'platform';
  if (
    BENIGN.test(c.status ?? '') ||
    BENIGN.test(c.summary) ||
    bookkeepingSetting(c.summary) ||
    RESPONDERS_NOTE.test(c.status ?? '') ||
    RESPONDERS_NOTE.test(c.source ?? '')
  )
    return 'benign';
  const blank = (text: string, keep?: string) => {
    let out = text;
    for (const n of names)
      if (n.length >= 3 && /[-_.]/.test(n) && n.toLowerCase() !== keep?.toLowerCase())
        out = out.split(n).join(' ').split(n.toLowerCase()).join(' ');
    return out;
  };
  // A resource inside another service's store (rows of platform-db written through an API) says
  // where the change landed; only the service the change was made to speaks for its kind, and not
  // when the resource is a path under it (`inference-router/lb-policy`): there its name is only the
  // address of what changed.
  const under = !!c.service && lower(c.resource ?? '').startsWith(`${lower(c.service)}/`);
  const own = under ? undefined : c.service;
  const text = `${c.status ?? ''} ${apiWords(c.status)} ${blank(c.summary)} ${blank(c.resource ?? '', own)}`;
  for (const [flavor, re] of FLAVORS) if (re.test(text)) return flavor;
  return 'config';
}

/**
 * What undoing a configuration change acts on: the service the record is tagged with, unless the
 * resource that changed is itself a service we run (a quota service changed on behalf of its
 * consumer), which is then what is reverted.
 */
export function revertTarget(
  c: ChangeRecord,
  service: string | undefined,
  isService: (name: string) => boolean,
): string | undefined {
  const owner = c.service ?? service;
  if (c.resource && isService(c.resource)) return c.resource;
  return owner ?? c.resource;
}

/**
 * API calls that read or authenticate and change nothing: CloudTrail marks them `readOnly`, and the
 * AWS adapter never reads them as changes. A record of one (a sign-in, an AssumeRole refused, a
 * listing) is activity — security's evidence when it is hostile — never a change to revert.
 */
const READ_ONLY_CALL =
  /^(?:Get|List|Describe|Head|Lookup|Search|BatchGet|Select|AssumeRole\w*|GetCallerIdentity|GetSessionToken|ConsoleLogin|Decrypt|GenerateDataKey\w*|CheckMfa)(?:[A-Z0-9]|$)/;

/** An incident tool telling people about the incident (PagerDuty's `NotificationSent`): news, not a change. */
const NOTICE = /^(?:\w*Notification(?:Sent|Delivered)|Notified|Paged|\w*Notify\w*Sent)$/;

export const readOnlyCall = (c: ChangeRecord): boolean =>
  c.kind === 'change' && !!c.status && (READ_ONLY_CALL.test(c.status.trim()) || NOTICE.test(c.status.trim()));
