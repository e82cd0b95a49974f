/**
 * The built-in policy book as the handlers use it. Validating the seed packs against the policy schema
 * takes about 30 ms, on every cold start: so the stack's bundler validates them once, when it builds
 * the bundle (`policyBookDefine`, used by infra/functions.ts), and embeds the validated book as a
 * constant; the handler reads it back without validating again. Outside a bundle (tests, the local
 * stack, the command line) the constant is absent and the packs are validated as before.
 */
import { type LoadedPolicy, PolicyBook, builtInPolicyBook } from '../../shared/policy/book.js';

/** The name esbuild replaces with the validated book's JSON text (`define`). */
export const PRECOMPILED_BOOK_NAME = '__PRECOMPILED_POLICY_BOOK__';

declare const __PRECOMPILED_POLICY_BOOK__: string | undefined;

/**
 * The esbuild `define` that embeds the built-in book, validated now: its JSON text as a string
 * literal. A pack that fails validation fails the build, not a cold start.
 */
export function policyBookDefine(): Record<string, string> {
  return { [PRECOMPILED_BOOK_NAME]: JSON.stringify(JSON.stringify(builtInPolicyBook().policies)) };
}

/** A book from validated policies (money and ratios are plain numbers once validated, so JSON keeps them). */
export function bookFromPrecompiled(json: string): PolicyBook {
  return new PolicyBook(JSON.parse(json) as LoadedPolicy[]);
}

/** The built-in book: embedded at bundle time in a deployed bundle, else validated now. */
export function deployedPolicyBook(): PolicyBook {
  return typeof __PRECOMPILED_POLICY_BOOK__ === 'string' ? bookFromPrecompiled(__PRECOMPILED_POLICY_BOOK__) : builtInPolicyBook();
}
