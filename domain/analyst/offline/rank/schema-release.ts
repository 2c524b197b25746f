/**
 * A release that is nothing but a schema change (a migration job nobody calls, whose own words or
 * lines are DDL) changed the database, not an application: like an applied migration record, it
 * is a database change. When statements then wait on locks, the lock its DDL took is named. An
 * application release that carries a migration among its features stays a deployment.
 */
import type { Analysis } from '../analysis.js';
import { lower, ms } from '../measure.js';
import { type Candidate, releaseOf } from './candidate.js';

/** DDL, or a schema-migration tool at work. */
const SCHEMA =
  /\b(?:ALTER\s+TABLE|CREATE\s+(?:UNIQUE\s+)?INDEX|ADD\s+(?:CONSTRAINT|COLUMN|FOREIGN\s+KEY|FK|INDEX|UNIQUE)|DROP\s+(?:COLUMN|INDEX|CONSTRAINT)|RENAME\s+(?:COLUMN|TABLE)|goose|flyway|liquibase|alembic|sqitch|dbmate|migrat(?:e|ion|ions|ing))\b/i;
/** Statements waiting on a lock: MySQL's slow log with the lock wait its whole time, and the usual lock-wait words. */
const LOCK_WAIT =
  /Query_time: ([1-9]\d*)\.\d+\s+Lock_time: \1\.|Lock wait timeout exceeded|Waiting for table metadata lock|still waiting for \w+Lock|canceling statement due to lock timeout/i;
const LOCK_METRIC = /^(?:BlockedTransactions|RowLockTime|RowLockWaits|LockWaits?|Deadlocks)$/i;
/** The release's own lines this long after it began speak for what it ran. */
const OWN_LINES_MS = 10 * 60_000;

export function schemaRelease(a: Analysis, list: Candidate[]): void {
  const called = (service: string) => a.snap.catalog.dependents(service).length > 0;
  for (const d of list) {
    const release = releaseOf(a, d);
    const service = d.changeService;
    if (!release || !service || lower(service) === lower(a.snap.service) || called(service)) continue;
    const own = a.snap.logs.filter(
      (l) =>
        lower(l.service) === lower(service) &&
        ms(l.firstSeen) >= ms(release.at) - 60_000 &&
        ms(l.firstSeen) <= ms(release.at) + OWN_LINES_MS,
    );
    if (!SCHEMA.test(release.summary) && !own.some((l) => SCHEMA.test(l.sample))) continue;
    const after = (at: string) => ms(at) >= ms(release.at) && ms(at) <= ms(a.snap.alertAt);
    const waits = a.snap.logs.find((l) => after(l.lastSeen) && LOCK_WAIT.test(l.sample));
    const blocked = a.views.find(
      (v) => v.bad && v.onset && after(v.onset.at) && LOCK_METRIC.test(v.series.metricName),
    );
    d.category = 'database';
    d.summary = `${d.summary.replace(/\.$/, '')}; the release is a schema migration, a change to the database${
      waits || blocked
        ? `, and statements wait on the lock its DDL holds (${
            waits
              ? `${waits.count}x "${waits.sample
                  .split('\n')
                  .find((x) => LOCK_WAIT.test(x))
                  ?.trim()
                  .slice(0, 80)}"`
              : `${blocked!.series.metricName} up`
          })`
        : ''
    }.`;
    d.evidence = [...d.evidence, ...(waits ? [waits.id] : []), ...(blocked ? [blocked.series.id] : [])];
  }
}
