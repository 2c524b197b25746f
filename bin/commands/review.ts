/**
 * `firebreak review <incident> --verdict correct|partly|wrong [--cause TEXT] [--category C]
 * [--culprit X] [--by NAME]`: responders' verdict on the analyst's root cause, on the incident, its
 * timeline and its postmortem. Reviewed causes become confirmed memory and count in `report`.
 */
import type { Command } from 'commander';
import { systemClock } from '../../lambdas/core/clock.js';
import { parseReview, reviewIncident } from '../../lambdas/core/memory/review.js';
import { withLocalStore } from '../../lib/local/embedded-dynamodb.js';
import { defaultDataDir } from './common.js';

interface ReviewOptions {
  verdict?: string;
  cause?: string;
  category?: string;
  culprit?: string;
  by?: string;
  json?: boolean;
  dataDir: string;
}

export function registerReview(program: Command): void {
  program
    .command('review')
    .description("record responders' verdict on an incident's root cause")
    .argument('<id>', 'incident id')
    .requiredOption('--verdict <verdict>', 'correct, partly or wrong')
    .option('--cause <text>', 'the cause as responders found it')
    .option('--category <category>', 'the cause category responders confirmed')
    .option('--culprit <what>', 'the service, change or resource responsible')
    .option('--by <name>', 'who reviewed (default: cli:$USER)')
    .option('--json', 'print the review as JSON')
    .option('--data-dir <dir>', 'the local data directory', defaultDataDir())
    .action(async (id: string, opts: ReviewOptions) => {
      const input = {
        incidentId: id,
        verdict: opts.verdict,
        cause: opts.cause,
        category: opts.category,
        culprit: opts.culprit,
        by: opts.by ?? `cli:${process.env.USER ?? 'operator'}`,
      };
      parseReview(input); // refuse bad input before opening the store
      const { review } = await withLocalStore(opts.dataDir, (store, memory) =>
        reviewIncident({ store, memory, clock: systemClock }, input),
      );
      process.stdout.write(
        opts.json
          ? `${JSON.stringify({ id, review }, null, 2)}\n`
          : `${id}: ${review.verdict} (${review.score}/100) by ${review.by}${review.confirmed ? `; confirmed ${review.confirmed.category}${review.confirmed.culprit ? ` ${review.confirmed.culprit}` : ''}` : ''}\n`,
      );
    });
}
