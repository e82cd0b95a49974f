/** `claims reconcile`: the agency's settlements of a hospital against the hospital's own list (对账). */
import { parseArgs } from 'node:util';
import { isIsoDate } from '../../shared/calendar/dates.js';
import { InvalidRecordError, UnsortedInputError } from '../../shared/province/errors.js';
import {
  type ReconcileRecord,
  Reconciliation,
  findingToJson,
  ourRecordOf,
  readTheirCsvRow,
  readTheirJsonLine,
  splitCsvLine,
  summaryToJson,
} from '../../shared/province/reconcile.js';
import type { SettlementRecord } from '../../shared/province/settlement-record.js';
import { integerOption } from '../args.js';
import { CliError, EXIT_NOTHING, UsageError, warn } from '../errors.js';
import { externalSort } from '../external-sort.js';
import { BufferedOut, readLineBatches, writeOut } from '../io.js';
import { loadPolicyBook } from '../policy-files.js';
import { CSV_GIVEN_HINT, looksLikeCsv, withHint } from '../hints.js';
import { HospitalPresence, ourSide, ourSource } from '../province-input.js';

export const RECONCILE_HELP = `Usage: claims reconcile --hospital ID (--settlements FILE | --claims FILE) THEIRS.csv|THEIRS.jsonl [options]

Compares the agency's settled claims of one hospital with the hospital's own list, claim by claim
(3202) and in total per fund (3201). The hospital's file, CSV with a header or JSON Lines, has per claim:
  claim_id (or setl_id), discharge_date (or enddate), medfee_sumamt, hifp_pay, hifmi_pay, maf_pay, oth_pay
and optionally hosp_part_amt and psn_part_amt; amounts are yuan with at most two decimals, as text.
Writes JSON Lines: one line per claim found on one side only or with a field that differs (to the fen),
in claim-id order, then {"summary":{…}} with the counts and the totals per fund on both sides.
Both sides are sorted on disk in runs (external sort), so memory stays bounded for any file size.

Options:
  --hospital ID          the hospital (fixmedins_code)
  --settlements FILE     our settlements (JSON Lines: settlement lines or stored settlements)
  --claims FILE          instead: claims as JSON Lines, settled here in order with carried totals
  --from DATE, --to DATE compare only claims discharged in this period (both sides)
  --their-format F       csv or jsonl (default: from the file name; .csv is CSV, anything else JSON Lines)
  --run-size N           records per sorted run held in memory (default 50000)
  --policies DIR         operator policy files (*.json) over the built-in packs (settling --claims)
  -h, --help             show this help

Exit status: 0 compared (whether or not the sides agree: see summary.agrees); 3 the hospital's file has
no records, our side has none, or none of the hospital (a warning says which; the findings are still
written); 1 unreadable or invalid input; 64 usage.`;

/** The hospital's records, read line by line from CSV (header first) or JSON Lines. */
async function* theirRecords(file: string, format: 'csv' | 'jsonl'): AsyncGenerator<ReconcileRecord> {
  let header: string[] | undefined;
  let line = 0;
  for await (const batch of readLineBatches(file)) {
    for (const text of batch) {
      line += 1;
      if (text.trim() === '') continue;
      if (format === 'csv' && header === undefined) {
        header = splitCsvLine(text.replace(/^\uFEFF/, '')).map((name) => name.trim());
        continue;
      }
      if (format === 'csv') {
        yield readTheirCsvRow(header as string[], text, file, line);
        continue;
      }
      try {
        yield readTheirJsonLine(text, file, line);
      } catch (cause) {
        // A CSV file whose name does not end in .csv is read as JSON Lines: say so rather than "not JSON".
        if (cause instanceof InvalidRecordError && looksLikeCsv(text)) throw new CliError(withHint(cause.message, CSV_GIVEN_HINT), 1, { cause });
        throw cause;
      }
    }
  }
}

async function* ours(records: AsyncIterable<SettlementRecord>, hospitalId: string, inPeriod: (date: string | undefined) => boolean): AsyncGenerator<ReconcileRecord> {
  for await (const record of records) {
    if (record.settlement.hospitalId !== hospitalId) continue;
    const mine = ourRecordOf(record);
    if (mine && inPeriod(mine.dischargedOn)) yield mine;
  }
}

/** Runs `claims reconcile`; returns the exit status. */
export async function runReconcile(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      hospital: { type: 'string' },
      settlements: { type: 'string' },
      claims: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      'their-format': { type: 'string' },
      'run-size': { type: 'string' },
      policies: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    await writeOut(`${RECONCILE_HELP}\n`);
    return 0;
  }
  if (values.hospital === undefined) throw new UsageError('--hospital is required; see claims reconcile --help');
  if (positionals.length !== 1) throw new UsageError("claims reconcile takes one file: the hospital's list; see claims reconcile --help");
  const theirFile = positionals[0] as string;
  const theirFormat = values['their-format'] ?? (theirFile.toLowerCase().endsWith('.csv') ? 'csv' : 'jsonl');
  if (theirFormat !== 'csv' && theirFormat !== 'jsonl') throw new UsageError(`--their-format must be csv or jsonl, not ${theirFormat}`);
  for (const name of ['from', 'to'] as const) {
    const value = values[name];
    if (value !== undefined && !isIsoDate(value)) throw new UsageError(`--${name} must be a date YYYY-MM-DD, not ${value}`);
  }
  const runSize = integerOption('run-size', values['run-size'], 50_000, 1);
  const { from, to } = values;
  const inPeriod = (date: string | undefined): boolean => {
    if (from === undefined && to === undefined) return true;
    if (date === undefined) throw new CliError('--from/--to need discharge dates on our side: use stored settlements or --claims', 1);
    return (from === undefined || from <= date) && (to === undefined || date <= to);
  };
  const book = await loadPolicyBook(values.policies);
  const presence = new HospitalPresence(values.hospital, ourSource(values));
  const ourSorted = externalSort(ours(presence.watch(ourSide(values, book)), values.hospital, inPeriod), (r) => r.claimId, { runSize });
  let theirsRead = 0;
  const theirFiltered = (async function* () {
    for await (const record of theirRecords(theirFile, theirFormat)) {
      theirsRead += 1;
      if (inPeriod(record.dischargedOn)) yield record;
    }
  })();
  const theirSorted = externalSort(theirFiltered, (r) => r.claimId, { runSize });
  const reconciliation = new Reconciliation(ourSorted, theirSorted);
  const out = new BufferedOut();
  try {
    for await (const finding of reconciliation.findings()) await out.write(`${JSON.stringify(findingToJson(finding))}\n`);
  } catch (cause) {
    if (cause instanceof InvalidRecordError || cause instanceof UnsortedInputError) throw new CliError(cause.message, 1, { cause });
    throw cause;
  }
  const summary = summaryToJson(reconciliation.summary);
  await out.write(`${JSON.stringify({ summary })}\n`);
  await out.flush();
  process.stderr.write(
    `claims reconcile: ${summary.claims.ours} ours, ${summary.claims.theirs} theirs: ${summary.matched} matched, ${summary.differing} differ, ${summary.onlyOurs} only ours, ${summary.onlyTheirs} only theirs\n`,
  );
  if (theirsRead === 0) {
    warn(`${theirFile === '-' ? 'standard input' : theirFile} has no records (an empty file, or a header only): every claim of ours shows as only ours`);
    return EXIT_NOTHING;
  }
  return presence.check() ?? 0;
}
