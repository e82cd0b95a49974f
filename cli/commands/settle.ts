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
import { SLIP_PAPERS, type SlipPaper } from '../../shared/province/slip/index.js';
import { type SlipSources, formatSlip, formatSlipHtml, indexRegistry, readRegistryFile } from '../slip.js';
import { BadLines, TERMINAL_RULE, heldBackNote, recordSink } from '../terminal.js';

export const SETTLE_HELP = `Usage: claims settle FILE|- [options]

Settles a claim (claim contract v1) against the yearToDate it carries and prints the Settlement as JSON.

Options:
  --lines            read JSON Lines: one claim per line, one settlement or error object per output line
  --format FORMAT    json (default); slip: the one-stop settlement slip (一单制结算单) as text,
                     Chinese first; html: the slip as a printable page (A4, no external assets)
  --paper PAPER      with --format html: a4 (default) or receipt (an 80 mm roll)
  --registry FILE    a registry file (claims registry load's format): the member's name and ID
                     number (masked) and the hospital's name on the slip
  --policies DIR     apply the operator policy files (*.json) of DIR over the built-in packs
  -h, --help         show this help

${TERMINAL_RULE}

Exit status: 0 settled or rejected; 2 INVALID_CLAIM (with --lines: any line invalid); 3 --lines and no
claims in the input; 1 other errors; 64 usage.`;

type Format = 'json' | 'slip' | 'html';
const FORMATS: readonly Format[] = ['json', 'slip', 'html'];

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

function render(outcome: Outcome, format: Format, pretty: boolean, sources: SlipSources, paper: SlipPaper): string {
  if (!outcome.ok) return JSON.stringify(outcome.error.toJSON());
  if (format === 'slip') return formatSlip(outcome.settlement, { ...sources, claim: outcome.claim });
  if (format === 'html') return formatSlipHtml(outcome.settlement, { ...sources, claim: outcome.claim }, paper);
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
      paper: { type: 'string', default: 'a4' },
      registry: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    await writeOut(`${SETTLE_HELP}\n`);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('claims settle takes one FILE (or - for standard input); see claims settle --help');
  const format = values.format;
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be json, slip or html, not ${format}`);
  const paper = values.paper as SlipPaper;
  if (!SLIP_PAPERS.includes(paper)) throw new UsageError(`--paper must be a4 or receipt, not ${values.paper}`);
  if (values.lines && format === 'html') throw new UsageError('--format html is one page for one claim; it does not take --lines');
  const file = positionals[0] as string;
  const book = await loadPolicyBook(values.policies);
  const registry = values.registry === undefined ? undefined : indexRegistry(await readRegistryFile(values.registry));
  // One time for the whole run: every claim of it is settled now.
  const sources: SlipSources = { book, registry, settledAt: new Date().toISOString() };

  if (!values.lines) {
    const outcome = settleValue(await readAllText(file), book, true);
    await writeOut(`${render(outcome, format as Format, true, sources, paper)}\n`);
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
    const drained = out.write(`${separator}${render(outcome, format as Format, false, sources, paper)}\n`);
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
