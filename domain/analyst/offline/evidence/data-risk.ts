/**
 * Data at risk, as triage weighs it: storage running out, replication behind or stopped, writes
 * refused, data deleted or its files missing, on the service or what it depends on (deletions on
 * any critical service). Lost is the part already gone — deleted, or files a database cannot find —
 * which no recovery of the service brings back; the rest is at risk.
 */
import type { Analysis } from '../analysis.js';
import { lower, median, uniq } from '../measure.js';

const STORAGE_METRIC = /freestorage|freelocalstorage|diskspace|disk_free|free_?space|volumebytes|inode/i;
const REPLICATION_METRIC =
  /replica.?lag|replication.?(lag|latency|slot)|oldestreplicationslot|aurorareplicalag/i;
/**
 * AWS's own event names and codes for data going away or no longer being written (not free text):
 * matched against the record's event name (`status`), not its description.
 */
const DATA_CHANGE =
  /^(Delete(DBInstance|DBCluster|Table|Bucket|Objects?|Volume|DBSnapshot|DBClusterSnapshot|Snapshot|Backup|BackupVault|FileSystem|GlobalTable)|PurgeQueue|StopReplicationTask|DeleteReplicationTask|RDS-EVENT-0007|RDS-EVENT-0221)\b/;
/** Of those, the ones that take whole stores or their objects away: lost, not merely at risk. */
const DATA_GONE =
  /^(Delete(DBInstance|DBCluster|Table|Bucket|Objects?|Volume|FileSystem|GlobalTable)|PurgeQueue)\b/;
/** Database and storage engines' own refusals: the write did not happen. */
const REFUSED_WRITE =
  /read-only transaction|read only transaction|ER_OPTION_PREVENTS_STATEMENT|super-read-only|READONLY You can't write against a read only replica|no space left on device|ENOSPC|could not extend file|disk full|database or disk is full|StorageFull|replication (slot|stream) .*(lost|broken|terminated)/i;

/** A database's own words that its data files are gone (removed or never restored), not unreadable. */
const DATA_MISSING =
  /could not open (file|relation mapping file) .{1,200}No such file or directory|could not read file .{1,200}No such file or directory|Tablespace .{1,100} is missing|doesn't exist in engine/i;

/**
 * How much a durable store holds — rows, items, objects, bytes stored — by the names databases,
 * DynamoDB and S3 report them. A cache's items (`CurrItems`, keys) are copies: a cache emptied is
 * refilled, not lost.
 */
const STORED =
  /n_live_tup|live_?tuples|row_?count|table_?rows|\brows\b|ItemCount|NumberOfObjects|BucketSizeBytes|TableSizeBytes|VolumeBytesUsed|database_?size|db_?size|record_?count|doc(ument)?s?_?count/i;
const CACHE = /curr_?items|keyspace|\bkeys\b|cache/i;
/** The share of a store's contents gone at which it is lost outright, and at which it is at risk. */
const STORED_LOST = 0.9;
const STORED_AT_RISK = 0.5;

/**
 * Storage full, replication broken, writes refused, data files missing, deletes: on the service or
 * what it depends on; deletions also on any critical service.
 */
export function dataAtRisk(
  a: Analysis,
  near: Set<string>,
  critical: Set<string>,
): { reasons: string[]; lost: string[]; evidence: string[] } {
  const reasons: string[] = [];
  const lost: string[] = [];
  const evidence: string[] = [];
  for (const v of a.views) {
    if (!v.bad || !v.onset || v.onset.recovered || !near.has(lower(v.service))) continue;
    const name = v.series.metricName;
    if (v.kind === 'storage' && STORAGE_METRIC.test(name)) {
      reasons.push(`${v.service}: ${name} running out`);
      evidence.push(v.series.id);
    } else if (REPLICATION_METRIC.test(name)) {
      reasons.push(`${v.service}: ${name} growing (replication behind)`);
      evidence.push(v.series.id);
    }
  }
  // What a store holds falling is data deleted, whatever deleted it (a migration's TRUNCATE, a
  // job's DELETE, a lifecycle rule): measured, not read from the statement that did it.
  for (const v of a.views) {
    const o = v.onset;
    if (!o || o.recovered || o.direction !== 'down' || o.baseline <= 0 || !near.has(lower(v.service)))
      continue;
    const name = v.series.metricName;
    if (!STORED.test(name) || CACHE.test(`${name} ${v.series.namespace}`)) continue;
    const now = median(v.series.points.slice(-3).map((p) => p[1]));
    const gone = 1 - now / o.baseline;
    if (gone < STORED_AT_RISK) continue;
    const reason = `${v.service}: ${name} down ${Math.round(gone * 100)}% (stored data deleted)`;
    reasons.push(reason);
    if (gone >= STORED_LOST) lost.push(reason);
    evidence.push(v.series.id);
  }
  for (const c of a.snap.changes) {
    if (c.at < a.snap.window.from || !DATA_CHANGE.test(c.status ?? '')) continue;
    if (c.service && !near.has(lower(c.service)) && !critical.has(lower(c.service))) continue;
    const reason = `${c.service ?? c.resource ?? 'a resource'}: ${c.status} (${c.summary.split(/[;:]|\.\s/)[0].slice(0, 80)})`;
    reasons.push(reason);
    if (DATA_GONE.test(c.status ?? '')) lost.push(reason);
    evidence.push(c.id);
  }
  for (const s of a.signatures) {
    const refused = REFUSED_WRITE.test(s.sig.signature);
    if (!s.isNew || !s.isError || !(refused || DATA_MISSING.test(s.sig.signature))) continue;
    if (s.sig.service && !near.has(lower(s.sig.service)) && !isCallerOf(a, s.sig.service, near)) continue;
    const reason = `${s.sig.service ?? '?'}: ${refused ? 'writes refused' : 'data files missing'} (${s.sig.count} logged)`;
    reasons.push(reason);
    if (!refused) lost.push(reason);
    evidence.push(s.sig.id);
  }
  return { reasons: uniq(reasons).slice(0, 4), lost: uniq(lost).slice(0, 3), evidence: uniq(evidence) };
}

const isCallerOf = (a: Analysis, service: string, near: Set<string>) =>
  a.snap.catalog.dependencies(service).some((d) => near.has(lower(d)));
