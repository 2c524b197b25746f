/**
 * Redaction masks public addresses and people before an analyst reads a line, but signatures are
 * written against what software prints. A masked address still reads as an address to them, and
 * the hit quotes the masked line.
 */
import { describe, expect, it } from 'vitest';
import { asPrinted, matchKnowledge } from '../../../../domain/analyst/offline/evidence/knowledge.js';
import { BUILTIN_KNOWLEDGE } from '../../../../domain/knowledge/builtin.js';
import { at } from './fixtures.js';

const masked =
  'postfix/smtp[21873]: 4F1A2C3B9D: to=<email:9b1e04>, relay=none, delay=1310, status=deferred (connect to mx1.mail.example-isp.net[<ip:3f9a1c>]:25: Connection timed out)';

const hitsOn = (sample: string) =>
  matchKnowledge(BUILTIN_KNOWLEDGE, {
    logs: [
      {
        id: 'log:relay:1',
        service: 'relay',
        signature: 'relay-deferred',
        level: 'WARN',
        sample,
        count: 10,
        firstSeen: at(-5),
        lastSeen: at(-1),
      },
    ],
    changes: [],
    views: [],
    onset: at(-5),
    knownNames: ['relay'],
  }).map((h) => h.entry.id);

describe('a masked line', () => {
  it('matches the signature its unmasked form matches, quoting the masked text', () => {
    expect(hitsOn(masked)).toContain('conn-timeout');
  });

  it('reads placeholders of other kinds as they are', () => {
    expect(asPrinted('key <aws-access-key:…WXYZ> from <ip:3f9a1c>')).toBe(
      'key <aws-access-key:…WXYZ> from 192.0.2.1',
    );
  });
});
