/**
 * Data at risk, as triage weighs it: storage running out, replication behind or stopped, writes
 * refused, data deleted or its files missing, on the service or what it depends on (deletions on
 * any critical service). Lost is the part already gone — deleted, or files a database cannot find —
 * which no recovery of the service brings back; the rest is at risk.
 */
import type { Analysis } from '../analysis.js';
import { lower, uniq } from '../measure.js';

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
