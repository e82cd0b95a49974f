/** Structured JSON logs (Powertools for AWS Lambda), with members' names and ID numbers masked. */
import { Logger } from '@aws-lambda-powertools/logger';

/** Log levels the logger accepts; SILENT for tests that would otherwise print thousands of lines. */
export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
import { maskPersonalData } from './mask.js';

/**
 * The masking wraps the JSON encoding of every log line, so a field logged by mistake (a whole
 * registry member, an error carrying a claim) is masked too, not only the fields we thought of.
 */
export function createLogger(serviceName: string, logLevel?: LogLevel, options: { bufferInfo?: boolean } = {}): Logger {
  return new Logger({
    serviceName,
    logLevel: logLevel ?? ((process.env['LOG_LEVEL'] as LogLevel | undefined) || 'INFO'),
    jsonReplacerFn: maskingReplacer(),
    // Buffered lines (INFO and below) are printed only if the invocation logs an error or throws, else
    // dropped: logs cost per byte ingested, and a healthy record needs no line of its own. Powertools
    // keys the buffer by the invocation's X-Ray trace id, which Lambda always sets; without one (tests,
    // the local stack) nothing is buffered.
    ...(options.bufferInfo ? { logBufferOptions: { enabled: true, bufferAtVerbosity: 'INFO' as const, flushOnErrorLog: true } } : {}),
  });
}

/** A JSON replacer that masks personal data in the top-level log attributes it is given. */
function maskingReplacer(): (key: string, value: unknown) => unknown {
  return function (this: unknown, key: string, value: unknown): unknown {
    // Called first with key "" and the whole log item: mask it once, deeply.
    return key === '' ? maskPersonalData(value) : value;
  };
}
