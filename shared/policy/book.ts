/**
 * The policy book: every policy known to the engine, validated, with the lookup of the version in
 * force for a region on a date.
 *
 * Operators add what a seed document leaves out with overlay documents in the same format. An overlay
 * whose `id` names a known policy is applied to it as a JSON Merge Patch (RFC 7386: objects merge key
 * by key, `null` removes a key, anything else replaces) and the result is validated again; an overlay
 * with a new `id` is a policy of its own and must be complete.
 */
import type { Region } from '../contract/claim.js';
import type { FieldIssue } from '../contract/errors.js';
import { InvalidPolicyError, OverlappingPoliciesError, PolicyError } from './errors.js';
import { type Policy, policySchema } from './schema.js';
import { PACK_FILES } from './packs/index.js';

/** A policy document with where it came from, for error messages and the trace. */
export interface PolicySource {
  readonly source: string;
  readonly document: unknown;
}

/** A validated policy with the sources it was built from (the pack, then any overlays). */
export interface LoadedPolicy {
  readonly policy: Policy;
  readonly sources: readonly string[];
}

/**
 * The seed policy packs shipped with the engine: every `packs/*.json` file, found through the generated
 * index `packs/index.ts` (`npm run packs`), so a new pack is a new file and nothing here changes.
 */
export const BUILT_IN_PACKS: readonly PolicySource[] = PACK_FILES.map(({ name, document }) => ({ source: `built-in:${name}`, document }));

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** RFC 7386 JSON Merge Patch. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  const result: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

function validate(source: string, document: unknown): Policy {
  const result = policySchema.safeParse(document);
  if (result.success) return result.data;
  const issues: FieldIssue[] = result.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: [...issue.path, key].join('.'), message: 'is not a field of the policy format' }))
      : [{ path: issue.path.join('.'), message: issue.message }],
  );
  throw new InvalidPolicyError(source, issues);
}

const overlaps = (a: Policy, b: Policy): boolean =>
  a.region === b.region &&
  (a.effective.to === null || b.effective.from <= a.effective.to) &&
  (b.effective.to === null || a.effective.from <= b.effective.to);

/** Every policy the engine knows, and the one in force for a region on a date. */
export class PolicyBook {
  private readonly byRegion = new Map<Region, LoadedPolicy[]>();

  constructor(readonly policies: readonly LoadedPolicy[]) {
    for (const loaded of policies) {
      const list = this.byRegion.get(loaded.policy.region) ?? [];
      for (const other of list) {
        if (overlaps(other.policy, loaded.policy)) throw new OverlappingPoliciesError(other.policy.id, loaded.policy.id);
      }
      list.push(loaded);
      this.byRegion.set(loaded.policy.region, list);
    }
  }

  /** The policy in force for `region` on `date` (step 1 of the readings), if any. */
  inForce(region: Region, date: string): LoadedPolicy | undefined {
    return this.byRegion
      .get(region)
      ?.find(({ policy }) => policy.effective.from <= date && (policy.effective.to === null || date <= policy.effective.to));
  }

  /** The policies of a region, oldest first. */
  ofRegion(region: Region): readonly LoadedPolicy[] {
    return [...(this.byRegion.get(region) ?? [])].sort((a, b) => a.policy.effective.from.localeCompare(b.policy.effective.from));
  }

  /** The regions the book's policies cover, sorted: the regions a claim may name. */
  get regions(): readonly Region[] {
    return [...this.byRegion.keys()].sort();
  }

  /** Whether some policy of the book covers `region` (on any date). */
  coversRegion(region: Region): boolean {
    return this.byRegion.has(region);
  }

  /** A policy by id. */
  get(id: string): LoadedPolicy | undefined {
    return this.policies.find(({ policy }) => policy.id === id);
  }
}

/**
 * Builds a policy book from base documents and overlays, validating each result.
 * @throws InvalidPolicyError naming the source and the field of the first document that fails.
 * @throws OverlappingPoliciesError when two policies of a region are in force on the same day.
 */
export function buildPolicyBook(bases: readonly PolicySource[], overlays: readonly PolicySource[] = []): PolicyBook {
  const documents = new Map<string, { document: unknown; sources: string[] }>();
  const idOf = (entry: PolicySource): string => {
    const id = isPlainObject(entry.document) ? entry.document['id'] : undefined;
    if (typeof id !== 'string') throw new InvalidPolicyError(entry.source, [{ path: 'id', message: 'is required' }]);
    return id;
  };
  for (const base of bases) {
    const id = idOf(base);
    if (documents.has(id)) throw new PolicyError(`policy ${id} is defined twice (${base.source})`);
    documents.set(id, { document: base.document, sources: [base.source] });
  }
  for (const overlay of overlays) {
    const id = idOf(overlay);
    const existing = documents.get(id);
    documents.set(
      id,
      existing
        ? { document: mergePatch(existing.document, overlay.document), sources: [...existing.sources, overlay.source] }
        : { document: overlay.document, sources: [overlay.source] },
    );
  }
  const loaded = [...documents.values()].map(({ document, sources }) => ({
    policy: validate(sources.join(' + '), document),
    sources,
  }));
  return new PolicyBook(loaded);
}

let builtIn: PolicyBook | undefined;

/** The book of the built-in seed packs, built once. */
export function builtInPolicyBook(): PolicyBook {
  builtIn ??= buildPolicyBook(BUILT_IN_PACKS);
  return builtIn;
}
