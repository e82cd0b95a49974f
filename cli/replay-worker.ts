/**
 * A replay worker thread: settles the claims of its share of the members, in the order it receives
 * them, against a ledger of its own. Every claim of a member goes to the same worker, so each ledger
 * sees a member's whole year in order.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadPolicyBook } from './policy-files.js';
import { ReplayCore, type ReplayFormat } from './replay-core.js';
import { AnswerEncoder, type EncodedAnswers } from './replay-out.js';
import type { TallySnapshot } from './replay-summary.js';

/** What the main thread sends. */
export type WorkerRequest = { readonly type: 'batch'; readonly lines: readonly number[]; readonly texts: readonly string[] } | { readonly type: 'finish' };

/** What a worker answers. */
export type WorkerReply =
  | { readonly type: 'results'; readonly answers: EncodedAnswers }
  | { readonly type: 'done'; readonly tally: TallySnapshot; readonly members: number }
  | { readonly type: 'fatal'; readonly message: string };

export interface WorkerSetup {
  readonly policies: string | undefined;
  readonly format: ReplayFormat;
}

const port = parentPort;
if (port) {
  const setup = workerData as WorkerSetup;
  // Requests that arrive while the book loads wait on this promise, in the order they came.
  const ready = loadPolicyBook(setup.policies).then((book) => new ReplayCore(book, setup.format));
  const fail = (error: unknown) => port.postMessage({ type: 'fatal', message: (error as Error).message ?? String(error) } satisfies WorkerReply);
  port.on('message', (request: WorkerRequest) => {
    ready
      .then((core) => {
        if (request.type === 'batch') {
          // Encoded here, on the worker's core, and moved (not copied) to the main thread, which only writes bytes.
          const encoder = new AnswerEncoder();
          const send = () => {
            const answers = encoder.take();
            port.postMessage({ type: 'results', answers } satisfies WorkerReply, [answers.bytes.buffer as ArrayBuffer]);
          };
          request.texts.forEach((text, index) => {
            if (encoder.add(core.answer({ line: request.lines[index] as number, text }))) send();
          });
          if (encoder.size > 0) send();
        } else {
          port.postMessage({ type: 'done', tally: core.tally.snapshot(), members: core.memberYears } satisfies WorkerReply);
        }
      })
      .catch(fail);
  });
}
