/** `claims settle FILE|-`: settles one claim (or, with --lines, one claim per line) against its own yearToDate. */
import { parseArgs } from 'node:util';
import { type Claim, parseClaim, parseClaimJson } from '../../shared/contract/claim.js';
import { InvalidClaimError } from '../../shared/contract/errors.js';
import type { PolicyBook } from '../../shared/policy/book.js';
import { settle } from '../../shared/engine/settle.js';
import { type Settlement, settlementToJson } from '../../shared/engine/settlement.js';
import { EXIT_NOTHING, UsageError, warn } from '../errors.js';
import { invalidClaimLine } from '../hints.js';
import { BufferedOut, readAllText, readLines, writeOut } from '../io.js';
import { loadPolicyBook } from '../policy-files.js';
import { formatSlip } from '../slip.js';
import { BadLines, TERMINAL_RULE, heldBackNote, recordSink } from '../terminal.js';

export const SETTLE_HELP = `Usage: claims settle FILE|- [options]

Settles a claim (claim contract v1) against the yearToDate it carries and prints the Settlement as JSON.

Options:
  --lines            read JSON Lines: one claim per line, one settlement or error object per output line
  --format FORMAT    json (default) or slip: a readable one-stop settlement slip (一单制结算单)
  --policies DIR     apply the operator policy files (*.json) of DIR over the built-in packs
  -h, --help         show this help

${TERMINAL_RULE}

Exit status: 0 settled or rejected; 2 INVALID_CLAIM (with --lines: any line invalid); 3 --lines and no
claims in the input; 1 other errors; 64 usage.`;

type Format = 'json' | 'slip';

/** The outcome of one input: a settlement, or the contract error of an invalid claim. */
export type Outcome = { ok: true; settlement: Settlement; claim: Claim } | { ok: false; error: InvalidClaimError };

/** Validates and settles one parsed value. Errors other than INVALID_CLAIM propagate. */
export function settleValue(value: unknown, book: PolicyBook, fromText = false): Outcome {
  try {
    const claim = fromText ? parseClaimJson(value as string) : parseClaim(value);
    return { ok: true, settlement: settle(claim, book), claim };
  } catch (error) {
    if (error instanceof InvalidClaimError) return { ok: false, error };
    throw error;
  }
}

function render(outcome: Outcome, format: Format, pretty: boolean): string {
  if (!outcome.ok) return JSON.stringify(outcome.error.toJSON());
  if (format === 'slip') return formatSlip(outcome.settlement, { hospitalTier: outcome.claim.hospital.tier });
  return JSON.stringify(settlementToJson(outcome.settlement), null, pretty ? 2 : undefined);
}

/** Runs `claims settle`; returns the exit status. */
export async function runSettle(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      lines: { type: 'boolean', default: false },
      format: { type: 'string', default: 'json' },
      policies: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    await writeOut(`${SETTLE_HELP}\n`);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('claims settle takes one FILE (or - for standard input); see claims settle --help');
  const format = values.format;
  if (format !== 'json' && format !== 'slip') throw new UsageError(`--format must be json or slip, not ${format}`);
  const file = positionals[0] as string;
  const book = await loadPolicyBook(values.policies);

  if (!values.lines) {
    const outcome = settleValue(await readAllText(file), book, true);
    await writeOut(`${render(outcome, format, true)}\n`);
    if (!outcome.ok) {
      process.stderr.write(`claims: ${invalidClaimLine(outcome.error)}\n`);
      return 2;
    }
    return 0;
  }

  const badLines = new BadLines(file, 'not a valid claim');
  const sink = recordSink();
  const out = new BufferedOut(sink);
  let answered = 0;
  let claims = 0;
  for await (const line of readLines(file)) {
    // Every line gets its answer, a blank one included: the answer's position is the only link a
    // caller has between an input line and its settlement.
    const outcome = settleValue(line, book, true);
    if (line.trim() !== '') claims += 1;
    // The answer's position is its line number: the error object itself stays the contract's.
    if (!outcome.ok) badLines.add(answered + 1, outcome.error.issues);
    // Slips take several lines each: a blank line keeps one claim's slip apart from the next.
    const separator = format === 'slip' && answered > 0 ? '\n' : '';
    answered += 1;
    const drained = out.write(`${separator}${render(outcome, format, false)}\n`);
    if (drained) await drained;
  }
  await out.flush();
  badLines.finish();
  if (sink === null && answered > 0) process.stderr.write(`${heldBackNote(answered, format === 'slip' ? 'slips' : 'answers')}\n`);
  if (claims === 0) {
    warn(`${file === '-' ? 'standard input' : file} has no claims: nothing was settled`);
    return EXIT_NOTHING;
  }
  if (badLines.count > 0) {
    process.stderr.write(`claims: ${badLines.count} line(s) were not valid claims\n`);
    return 2;
  }
  return 0;
}
