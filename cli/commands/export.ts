/** `claims export --format nhsa|fhir FILE|-`: settlements as national records or FHIR ClaimResponses. */
import { parseArgs } from 'node:util';
import { EXPORT_FORMATS, type ExportFormat, exportSettlement } from '../../shared/province/exports/export.js';
import { nationalJson } from '../../shared/national/fields.js';
import { ExportValidationError } from '../../shared/province/errors.js';
import { CliError, EXIT_NOTHING, UsageError, warn } from '../errors.js';
import { BufferedOut, writeOut } from '../io.js';
import { settlementRecords } from '../province-input.js';
import { BadLines, TERMINAL_RULE, heldBackNote, recordSink } from '../terminal.js';

export const EXPORT_HELP = `Usage: claims export --format nhsa|fhir FILE|-

Writes each settlement of FILE (JSON Lines, as claims replay or claims settle --lines print, or stored
settlements {status, dischargedOn, settlement}) as one JSON line in a standard format:
  nhsa   the national platform's settlement record: setlinfo fields and setldetail rows per fund_pay_type
  fhir   a FHIR R4 ClaimResponse
Every record is checked against its schema (docs/exports.md) before it is written; the first that does
not validate stops the export. Error lines of invalid claims in the input are skipped and counted
(they are not settlements; the replay that wrote them already exited 2).

Options:
  --format FORMAT   nhsa or fhir (required)
  -h, --help        show this help

${TERMINAL_RULE}

Exit status: 0 done; 3 no settlement in the input; 1 unreadable input or a record that does not
validate; 64 usage.`;

/** Runs `claims export`; returns the exit status. */
export async function runExport(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { format: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) {
    await writeOut(`${EXPORT_HELP}\n`);
    return 0;
  }
  const format = values.format;
  if (format === undefined || !(EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format must be ${EXPORT_FORMATS.join(' or ')}${format === undefined ? '' : `, not ${format}`}`);
  }
  if (positionals.length !== 1) throw new UsageError('claims export takes one FILE (or - for standard input); see claims export --help');
  const file = positionals[0] as string;
  const sink = recordSink();
  const out = new BufferedOut(sink);
  const skipped = new BadLines(file, 'error line of an invalid claim, skipped');
  let written = 0;
  for await (const record of settlementRecords(file, skipped)) {
    let exported: object;
    try {
      exported = exportSettlement(format as ExportFormat, record.settlement, { dischargedOn: record.dischargedOn, settledAt: record.settledAt, version: record.version });
    } catch (cause) {
      if (cause instanceof ExportValidationError) {
        await out.flush();
        throw new CliError(cause.message, 1, { cause });
      }
      throw cause;
    }
    // The national record's amounts are numbers written with two decimals (12.50), as a HIS reads them.
    await out.write(`${format === 'nhsa' ? nationalJson(exported) : JSON.stringify(exported)}\n`);
    written += 1;
  }
  await out.flush();
  if (sink === null && written > 0) process.stderr.write(`${heldBackNote(written, `${format} records`)}\n`);
  if (written === 0) {
    warn(`${file === '-' ? 'standard input' : file} has no settlements${skipped.count > 0 ? ` (only ${skipped.count} error line(s) of invalid claims)` : ''}: nothing was exported`);
    return EXIT_NOTHING;
  }
  process.stderr.write(`claims export: ${written} ${format} record(s) written, each validated${skipped.count > 0 ? `; ${skipped.count} error line(s) of invalid claims skipped` : ''}\n`);
  return 0;
}
