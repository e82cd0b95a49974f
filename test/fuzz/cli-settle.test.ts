/**
 * Fuzzing the command line: 10,000 inputs as JSON Lines into one real `claims settle --lines -`
 * process, and a sample of them one per `claims settle -` process. Whatever comes in, the command must
 * answer every line with a settlement that keeps the invariants or with the contract's INVALID_CLAIM
 * error, and must never crash.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectAmountInvariants } from '../support/checks.js';
import { CORPUS_SIZE, type FuzzInput, buildCorpus } from './corpus.js';

const CLI = resolve(import.meta.dirname, '../../dist/cli/main.js');
const SAMPLE_SIZE = 30;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the built command line with `input` on its standard input. */
function runCli(args: string[], input: string): Promise<Run> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    // The command may stop reading early if it crashes: that must surface as a failed run, not an EPIPE.
    child.stdin.on('error', () => undefined);
    child.on('close', (code, signal) =>
      resolvePromise({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
    );
    child.stdin.end(input);
  });
}

/** No stack trace and no internal error: the only thing the command may say on stderr is its summary. */
function expectNoCrashOnStderr(stderr: string): void {
  expect(stderr).not.toMatch(/^\s+at .+\(.*:\d+:\d+\)$/m);
  expect(stderr).not.toMatch(/internal error|InvariantViolation|TypeError|RangeError|SyntaxError: /);
}

/** One answer of the command: either the contract's error or a settlement keeping the invariants. */
function expectContractAnswer(answer: Record<string, unknown>, input: FuzzInput, index: number): void {
  const where = `line ${index + 1} (${input.kind}): ${input.line.slice(0, 200)}`;
  if ('error' in answer) {
    expect(answer['error'], where).toBe('INVALID_CLAIM');
    const issues = answer['issues'] as { path: unknown; message: unknown }[];
    expect(Array.isArray(issues) && issues.length > 0, where).toBe(true);
    for (const issue of issues) {
      expect(typeof issue.path, where).toBe('string');
      expect(typeof issue.message === 'string' && issue.message.length > 0, where).toBe(true);
    }
    if (input.expect !== undefined && input.expect !== 'invalid') expect.fail(`${where}: a valid claim answered ${JSON.stringify(answer)}`);
    if (input.kind === 'non-JSON text') expect(issues.map((issue) => issue.path), where).toEqual(['']);
    return;
  }
  expect(['settled', 'rejected'], where).toContain(answer['status']);
  const amounts = answer['amounts'] as Record<string, string>;
  expectAmountInvariants(amounts, answer['status'] as 'settled' | 'rejected');
  if (answer['status'] === 'rejected') {
    for (const key of ['basic', 'catastrophic', 'assistance', 'charity', 'hospitalBorne']) expect(amounts[key], where).toBe('0.00');
    expect(amounts['patient'], where).toBe(amounts['total']);
  }
  if (input.expect === 'invalid') expect.fail(`${where}: expected INVALID_CLAIM, got a settlement`);
  if (input.expect !== undefined) expect(answer['claimId'], where).toBe(input.expect.settlement);
}

describe('fuzzing claims settle', () => {
  let corpus: { inputs: FuzzInput[]; composition: Record<string, number> };

  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build (npm test does) before the fuzz tests`);
    corpus = buildCorpus();
  });

  it(`answers each of ${CORPUS_SIZE} fuzzed JSON Lines with a settlement or INVALID_CLAIM, in one process, without crashing`, async () => {
    // Prepare
    const { inputs } = corpus;
    expect(inputs).toHaveLength(CORPUS_SIZE);
    for (const input of inputs) {
      expect(/[\r\n]/.test(input.line), input.kind).toBe(false);
      expect(input.line.trim(), input.kind).not.toBe('');
    }

    // Act
    const run = await runCli(['settle', '--lines', '-'], `${inputs.map((input) => input.line).join('\n')}\n`);

    // Assess
    expect(run.signal).toBeNull();
    expect([0, 2]).toContain(run.code);
    expectNoCrashOnStderr(run.stderr);
    const answers = run.stdout.split('\n');
    expect(answers.pop()).toBe('');
    expect(answers).toHaveLength(inputs.length);
    const outcomes: Record<string, number> = {};
    answers.forEach((line, index) => {
      const answer = JSON.parse(line) as Record<string, unknown>;
      expectContractAnswer(answer, inputs[index] as FuzzInput, index);
      const outcome = 'error' in answer ? 'INVALID_CLAIM' : `${String(answer['status'])}`;
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    });
    // The corpus has invalid lines, so the status must say so.
    expect(run.code).toBe(2);
    console.info(`fuzz corpus composition: ${JSON.stringify(corpus.composition)}; answers: ${JSON.stringify(outcomes)}`);
  });

  it(`answers a sample of ${SAMPLE_SIZE} of them one per process: exit 2 with the JSON error, or exit 0 with a settlement`, async () => {
    // Prepare: every kind of input, spread over the corpus
    const { inputs } = corpus;
    const kinds = [...new Set(inputs.map((input) => input.kind))];
    const sample = kinds.map((kind) => inputs.find((input) => input.kind === kind) as FuzzInput);
    for (let i = 0; sample.length < SAMPLE_SIZE; i += Math.floor(CORPUS_SIZE / SAMPLE_SIZE)) sample.push(inputs[i] as FuzzInput);

    // Act: a few processes at a time
    const runs: Run[] = [];
    for (let start = 0; start < sample.length; start += 8) {
      runs.push(...(await Promise.all(sample.slice(start, start + 8).map((input) => runCli(['settle', '-'], input.line)))));
    }

    // Assess
    runs.forEach((run, index) => {
      const input = sample[index] as FuzzInput;
      const answer = JSON.parse(run.stdout) as Record<string, unknown>;
      expect(run.signal).toBeNull();
      expect(run.code, input.kind).toBe('error' in answer ? 2 : 0);
      if (run.code === 0) expect(run.stderr).toBe('');
      expectNoCrashOnStderr(run.stderr);
      expectContractAnswer(answer, input, index);
    });
  });
});
