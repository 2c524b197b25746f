/**
 * `firebreak review <incident> --verdict correct|partly|wrong [--cause TEXT] [--category C]
 * [--culprit X] [--by NAME]`: responders' verdict on the analyst's root cause, on the incident, its
 * timeline and its postmortem. Reviewed causes become confirmed memory and count in `report`.
 */
import type { Command } from 'commander';
import { withLocalStore } from '../../adapters/embedded/dynamodb.js';
import { systemClock } from '../../domain/clock.js';
import { parseReview, reviewIncident } from '../../domain/memory/review.js';
import { CATEGORIES } from '../../domain/model.js';
import { cliAws } from '../../runtime/cli-wiring.js';
import { awsFailure, CliError } from './common.js';
import { dataDirOption } from './data-dir.js';
import { choice } from './options.js';

interface ReviewOptions {
  verdict?: string;
  cause?: string;
  category?: string;
  culprit?: string;
  by?: string;
  json?: boolean;
  dataDir: string;
  table?: string;
  region?: string;
}

/** The review against the incident table in AWS: the same code, the SDK's default credentials. */
async function reviewInAws(input: Record<string, unknown>, table: string, region: string | undefined) {
  const { store, memory, close } = cliAws(table, region);
  try {
    return await reviewIncident({ store, memory, clock: systemClock }, input);
  } catch (err) {
    throw awsFailure(err);
  } finally {
    close();
  }
}

export function registerReview(program: Command): void {
  program
    .command('review')
    .description("record responders' verdict on an incident's root cause")
    .argument('<id>', 'incident id')
    .addOption(
      choice('--verdict <verdict>', "the analyst's root cause was", [
        'correct',
        'partly',
        'wrong',
      ]).makeOptionMandatory(),
    )
    .option('--cause <text>', 'the cause as responders found it')
    .addOption(choice('--category <category>', 'the cause category responders confirmed', CATEGORIES))
    .option('--culprit <what>', 'the service, change or resource responsible')
    .option('--by <name>', 'who reviewed (default: cli:$USER)')
    .option('--json', 'print the review as JSON')
    .addOption(dataDirOption())
    .option('--table <name>', 'in AWS: the incident table')
    .option('--region <region>', "in AWS: the table's region (default: the SDK's)")
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
      if (opts.region && !opts.table) throw new CliError('--table is required to review in AWS');
      const { review } = opts.table
        ? await reviewInAws(input, opts.table, opts.region)
        : await withLocalStore(opts.dataDir, (store, memory) =>
            reviewIncident({ store, memory, clock: systemClock }, input),
          );
      process.stdout.write(
        opts.json
          ? `${JSON.stringify({ id, review }, null, 2)}\n`
          : `${id}: ${review.verdict} (${review.score}/100) by ${review.by}${review.confirmed ? `; confirmed ${review.confirmed.category}${review.confirmed.culprit ? ` ${review.confirmed.culprit}` : ''}` : ''}\n`,
      );
    });
}
