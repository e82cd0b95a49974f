/** `claims statement`: a hospital's statement (结算单) for a period, from local settlements. */
import { parseArgs } from 'node:util';
import { ProvinceRequestError } from '../../shared/province/errors.js';
import { InvalidRecordError } from '../../shared/province/errors.js';
import { StatementBuilder, statementToCsv, statementToJson } from '../../shared/province/statement.js';
import { CliError, UsageError } from '../errors.js';
import { writeOut } from '../io.js';
import { loadPolicyBook } from '../policy-files.js';
import { HospitalPresence, ourSide, ourSource } from '../province-input.js';

export const STATEMENT_HELP = `Usage: claims statement --hospital ID --from DATE --to DATE (--settlements FILE | --claims FILE) [options]

The statement (结算单) of one hospital for the claims it discharged from DATE to DATE (both included):
per fund (390100 basic, 390200 catastrophic, 610100 assistance, other) what was settled, what was
reversed and the net; claims by status and rejection code; the quality deposit withheld from the basic
fund (晋中 第二十二条, the policy's hospitalSide.qualityDeposit); and the net to pay.

Options:
  --hospital ID        the hospital (fixmedins_code)
  --from DATE          first discharge date, YYYY-MM-DD
  --to DATE            last discharge date, YYYY-MM-DD
  --settlements FILE   stored settlements as JSON Lines ({status, dischargedOn, settlement}, status
                       settled|rejected|reversed), or settlement lines that carry dischargedOn
  --claims FILE        instead: claims as JSON Lines, settled here in order with carried totals
  --format FORMAT      json (default) or csv
  --policies DIR       operator policy files (*.json) over the built-in packs (settling --claims, deposit ratios)
  -h, --help           show this help

Exit status: 0 done; 3 no record in the input, or none of the hospital (a warning says which; the
statement of zeros is still written); 1 unreadable input; 2 invalid claim; 64 usage.`;

/** Runs `claims statement`; returns the exit status. */
export async function runStatement(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      hospital: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      settlements: { type: 'string' },
      claims: { type: 'string' },
      format: { type: 'string', default: 'json' },
      policies: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    await writeOut(`${STATEMENT_HELP}\n`);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`claims statement takes no positional argument (got ${positionals[0]}); see claims statement --help`);
  for (const name of ['hospital', 'from', 'to'] as const) {
    if (values[name] === undefined) throw new UsageError(`--${name} is required; see claims statement --help`);
  }
  if (values.format !== 'json' && values.format !== 'csv') throw new UsageError(`--format must be json or csv, not ${values.format}`);
  const book = await loadPolicyBook(values.policies);
  let builder: StatementBuilder;
  try {
    // Files of settlements (replay output, exports) carry no settlement time: offline, the period is of discharge dates.
    builder = new StatementBuilder({ hospitalId: values.hospital as string, from: values.from as string, to: values.to as string, by: 'discharge' });
  } catch (cause) {
    if (cause instanceof ProvinceRequestError) throw new UsageError(cause.message, { cause });
    throw cause;
  }
  const presence = new HospitalPresence(values.hospital as string, ourSource(values));
  try {
    for await (const record of presence.watch(ourSide(values, book))) builder.add(record);
  } catch (cause) {
    if (cause instanceof InvalidRecordError) throw new CliError(`${cause.message} (settlement lines need dischargedOn: use stored settlements or --claims)`, 1, { cause });
    throw cause;
  }
  const statement = builder.finish(book);
  await writeOut(values.format === 'csv' ? statementToCsv(statement) : `${JSON.stringify(statementToJson(statement), null, 2)}\n`);
  return presence.check() ?? 0;
}
