/**
 * What a terminal gets: the one rule of the command line, written once. Every command asks this module
 * whether to write its records to stdout and where to name the lines it could not use; its help and
 * docs/command-line.md quote {@link TERMINAL_RULE} word for word.
 */
import type { Writable } from 'node:stream';
import type { FieldIssue } from '../shared/contract/errors.js';
import { hintForIssues } from './hints.js';

/** How many skipped lines are named one by one before the rest are only counted. */
export const NAMED_BAD_LINES = 10;

/** The rule as --help and docs/command-line.md state it. */
export const TERMINAL_RULE = `On a terminal: a stream of records (one JSON line or slip per claim: replay, settle --lines,
export, generate) is not written to stdout, only its summary to stderr; pipe or redirect stdout
(replay also takes --output FILE) to keep the records. A single settlement, a report (policies,
statement, reconcile, whatif) and the help are always written. When stderr is a terminal it shows
progress, and each input line that was skipped is named there: its line number and first issue, the
first ${NAMED_BAD_LINES}, then how many more. Without a terminal the output is exactly the records.`;

/** True when the person is reading stdout directly. */
export const stdoutIsTerminal = (): boolean => process.stdout.isTTY === true;

/** True when the person is reading stderr directly (progress and named bad lines go there). */
export const stderrIsTerminal = (): boolean => process.stderr.isTTY === true;

/**
 * Where a stream of records goes: stdout, or nowhere (null) when stdout is a terminal, because
 * thousands of records would only bury the summary.
 */
export function recordSink(): Writable | null {
  return stdoutIsTerminal() ? null : process.stdout;
}

/** The note a command prints on stderr when it held its records back from the terminal. */
export function heldBackNote(count: number, what: string): string {
  return `claims: ${count} ${what} not written to the terminal: pipe or redirect stdout to keep them`;
}

/** The first issue of an error line as a person reads it, with a hint when the mistake is a known one. */
function describeIssues(issues: readonly FieldIssue[]): string {
  const first = issues[0];
  const text = first === undefined ? 'not a valid claim' : `${first.path || '(input)'} ${first.message}`;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more issue${issues.length > 2 ? 's' : ''})` : '';
  const hint = hintForIssues(issues);
  return `${text}${more}${hint ? `; ${hint}` : ''}`;
}

/**
 * The lines a command skipped (not valid claims, or error lines of invalid claims in a settlements
 * file). On a terminal's stderr the first {@link NAMED_BAD_LINES} are named as they come and the rest
 * counted at the end; without a terminal nothing is written here (the error lines are in the output).
 */
export class BadLines {
  count = 0;
  private readonly named: boolean;

  /** `what` says what the lines were, e.g. "not a valid claim". */
  constructor(
    private readonly file: string,
    private readonly what: string,
    named: boolean = stderrIsTerminal(),
  ) {
    this.named = named;
  }

  /** Counts one skipped line and names it while fewer than {@link NAMED_BAD_LINES} were named. */
  add(line: number | undefined, issues: readonly FieldIssue[]): void {
    this.count += 1;
    if (!this.named || this.count > NAMED_BAD_LINES) return;
    const where = line === undefined ? this.file : `${this.file === '-' ? 'stdin' : this.file} line ${line}`;
    // `\r\x1b[K` first: a progress line may be drawn where this one starts.
    process.stderr.write(`\r\x1b[Kclaims: ${where}: ${this.what}: ${describeIssues(issues)}\n`);
  }

  /**
   * Counts an answer text when it is an error line (`{"error":…,"line":N,"issues":[…]}`), as replay and
   * settle --lines write them; other texts are ignored. Returns true for an error line.
   */
  addAnswer(text: string): boolean {
    if (!text.startsWith('{"error":')) return false;
    if (!this.named || this.count >= NAMED_BAD_LINES) {
      this.count += 1;
      return true;
    }
    const parsed = JSON.parse(text) as { line?: number; issues?: FieldIssue[] };
    this.add(parsed.line, parsed.issues ?? []);
    return true;
  }

  /** Writes how many lines were skipped beyond those named; nothing without a terminal. */
  finish(): void {
    if (this.named && this.count > NAMED_BAD_LINES) {
      process.stderr.write(`claims: ${this.count - NAMED_BAD_LINES} more line(s) ${this.what} (${this.count} in all)\n`);
    }
  }
}
