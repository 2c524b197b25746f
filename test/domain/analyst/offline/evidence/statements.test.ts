/**
 * The statements a database was stuck on, read from its own slow lines in the formats the engines
 * write: the table they touch and who sent them.
 */
import { describe, expect, it } from 'vitest';
import { hotStatements } from '../../../../../domain/analyst/offline/evidence/statements.js';
import type { LogSignature } from '../../../../../domain/ports.js';

let n = 0;
const line = (service: string, sample: string, count = 1): LogSignature => ({
  id: `log:${service}#${++n}`,
  service,
  level: 'WARN',
  signature: sample,
  sample,
  count,
  firstSeen: '2026-05-01T12:00:00Z',
  lastSeen: '2026-05-01T12:05:00Z',
});

const SERVICES = ['orders-db', 'mail-delivery', 'billing-api'];

describe('hot statements', () => {
  it('reads the MySQL slow log: the table and the user, mapped onto the catalog', () => {
    const hot = hotStatements(
      [
        line(
          'orders-db',
          '# User@Host: mail_delivery[mail_delivery] @  [10.40.3.71]  Id: 918233\n# Query_time: 41.883921  Lock_time: 0.000191 Rows_sent: 1  Rows_examined: 21488217\nSELECT id FROM email_dispatch WHERE link_id = 1;',
          3900,
        ),
        line(
          'orders-db',
          '# User@Host: billing[billing] @ [10.40.3.9]\n# Query_time: 1.2\nSELECT * FROM invoices;',
          20,
        ),
      ],
      SERVICES,
    ).get('orders-db');
    expect(hot).toMatchObject({
      table: 'email_dispatch',
      sender: 'mail_delivery',
      senderService: 'mail-delivery',
      count: 3900,
    });
    expect(hot?.worstSeconds).toBeCloseTo(41.88, 1);
  });

  it("reads RDS PostgreSQL's prefix and duration, dropping the schema and quotes", () => {
    const hot = hotStatements(
      [
        line(
          'orders-db',
          '2022-12-01 05:02:33 UTC:10.61.8.14(44120):hevo_app@metadata:[28101]:LOG:  duration: 48211.338 ms  execute <unnamed>: SELECT count(*) FROM "public"."pipeline_failed_events" WHERE pipeline_id = $1',
          9420,
        ),
      ],
      SERVICES,
    ).get('orders-db');
    expect(hot).toMatchObject({ table: 'pipeline_failed_events', sender: 'hevo_app' });
    expect(hot?.senderService).toBeUndefined();
  });

  it("reads a document store's slow-operation summary", () => {
    const hot = hotStatements(
      [
        line(
          'orders-db',
          'slow operations: 46 queries > 30s on tasks.scheduled_tasks in last hour (all from billing-api)',
        ),
      ],
      SERVICES,
    ).get('orders-db');
    expect(hot).toMatchObject({ table: 'scheduled_tasks', senderService: 'billing-api', worstSeconds: 30 });
  });

  it('weighs time spent, not lines: a few very slow statements outweigh many merely slow ones', () => {
    const hot = hotStatements(
      [
        line('orders-db', 'LOG:  duration: 1500.0 ms  statement: SELECT * FROM sessions WHERE id = $1', 100),
        line(
          'orders-db',
          'LOG:  duration: 350000.0 ms  statement: SELECT * FROM jobs ORDER BY created_at',
          5,
        ),
      ],
      SERVICES,
    ).get('orders-db');
    expect(hot?.table).toBe('jobs');
  });

  it('ignores fast statements, prose that says "from", and lines without a duration', () => {
    const hot = hotStatements(
      [
        line('orders-db', 'LOG:  duration: 12.5 ms  statement: SELECT * FROM sessions WHERE id = $1', 90000),
        line('billing-api', 'request from mail-delivery took 4200ms', 300),
        line('orders-db', 'ERROR: deadlock detected while updating invoices', 40),
      ],
      SERVICES,
    );
    expect(hot.size).toBe(0);
  });
});
