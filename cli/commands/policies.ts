/** `claims policies`: what each policy in the book pays, where its numbers come from, and what it leaves out. */
import { parseArgs } from 'node:util';
import { formatMoney, formatRatio } from '../../shared/money/money.js';
import type { LoadedPolicy } from '../../shared/policy/book.js';
import { CARE_PATHS, type CarePath, type Policy } from '../../shared/policy/schema.js';
import { UsageError } from '../errors.js';
import { writeOut } from '../io.js';
import { loadPolicyBook } from '../policy-files.js';
import { labelRows } from '../text.js';

export const POLICIES_HELP = `Usage: claims policies [--json] [--policies DIR]

Lists every policy the engine knows: id, version, region, effective dates, where it was built from
(built-in pack, overlay files), its hospital tiers with their inpatient deductible and ratio, which care
paths it pays and which it leaves to other documents (with the gap text), and the clauses it implements.

Options:
  --json           print the list as JSON
  --policies DIR   apply the operator policy files (*.json) of DIR over the built-in packs first
  -h, --help       show this help`;

/** How a policy treats one care path. */
export interface CarePathListing {
  readonly path: CarePath;
  /** `paid`: the policy has numbers for it; `as-inpatient` / `as-visit`: settled on that path instead; `gap`: POLICY_INCOMPLETE. */
  readonly status: 'paid' | 'as-inpatient' | 'as-visit' | 'gap';
  readonly detail: string;
}

export interface TierListing {
  readonly key: string;
  readonly name: string;
  readonly inpatient: { readonly deductible: string; readonly ratio: string } | null;
  /** `paid` with the numbers above; `not-covered` (NOT_COVERED); `no-numbers` (POLICY_INCOMPLETE). */
  readonly inpatientStatus: 'paid' | 'not-covered' | 'no-numbers';
  readonly outpatientRatio: string | null;
}

/** One policy as `claims policies --json` prints it. */
export interface PolicyListing {
  readonly id: string;
  readonly version: string;
  readonly region: string;
  readonly title: string;
  readonly document: string;
  readonly effective: { readonly from: string; readonly to: string | null };
  readonly sources: readonly string[];
  readonly tierCatalogue: 'complete' | 'partial';
  readonly tiers: readonly TierListing[];
  readonly carePaths: readonly CarePathListing[];
  readonly clauses: readonly string[];
}

const isClauseKey = (key: string): boolean => key === 'clause' || key.endsWith('Clause');

/**
 * Every distinct clause string of a policy object, in the order a depth-first walk of the document
 * meets them (the document's own key order), so the list is stable from run to run.
 */
export function collectClauses(value: unknown, found: Set<string> = new Set()): string[] {
  if (Array.isArray(value)) {
    for (const entry of value) collectClauses(entry, found);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, entry] of Object.entries(value)) {
      if (isClauseKey(key) && typeof entry === 'string') found.add(entry);
      else collectClauses(entry, found);
    }
  }
  return [...found];
}

function gapText(policy: Policy, path: CarePath): string {
  return policy.gaps[path] ?? 'the document sets no numbers for it (POLICY_INCOMPLETE)';
}

function carePath(policy: Policy, path: CarePath): CarePathListing {
  const cap = policy.inpatient?.annualCap ? `annual basic cap ${formatMoney(policy.inpatient.annualCap.amount)}` : 'no annual basic cap set';
  switch (path) {
    case 'inpatient':
      return policy.inpatient ? { path, status: 'paid', detail: `tier deductible and ratio; ${cap}` } : { path, status: 'gap', detail: gapText(policy, path) };
    case 'childbirth':
      if (policy.childbirth) {
        const { standard, fixedPaymentKinds } = policy.childbirth;
        return { path, status: 'paid', detail: `${fixedPaymentKinds.join(', ')}: fixed ${formatMoney(standard.primaryCare)} at primary care, ${formatMoney(standard.other)} elsewhere; other deliveries as inpatient` };
      }
      break;
    case 'serious-disease':
      if (policy.seriousDisease) return { path, status: 'paid', detail: `${formatRatio(policy.seriousDisease.basicRatio)} of min(total, quota); above the quota the hospital bears the cost` };
      break;
    case 'emergency-death':
      if (policy.emergencyDeath) return { path, status: 'paid', detail: 'settled as one inpatient admission at the hospital tier' };
      if (policy.gaps[path] === undefined) return { path, status: 'as-visit', detail: 'no rule of its own: settled on the path of the visit type' };
      return { path, status: 'gap', detail: gapText(policy, path) };
    case 'special-outpatient':
      return policy.specialOutpatient
        ? { path, status: 'paid', detail: `inpatient tier ratio; deductible ${policy.specialOutpatient.deductible}` }
        : { path, status: 'gap', detail: gapText(policy, path) };
    case 'outpatient':
      if (!policy.outpatient) return { path, status: 'gap', detail: gapText(policy, path) };
      return {
        path,
        status: 'paid',
        detail: `annual cap ${formatMoney(policy.outpatient.annualCap.amount)}${policy.gaps.outpatient ? `; partly: ${policy.gaps.outpatient}` : ''}`,
      };
  }
  return policy.inpatient && policy.gaps[path] === undefined
    ? { path, status: 'as-inpatient', detail: 'no rule of its own: settled as an ordinary inpatient claim' }
    : { path, status: 'gap', detail: gapText(policy, path) };
}

function tierListing(policy: Policy, key: string, name: string): TierListing {
  const row = policy.inpatient && Object.hasOwn(policy.inpatient.tiers, key) ? policy.inpatient.tiers[key] : undefined;
  const rule = policy.outpatient ? ((Object.hasOwn(policy.outpatient.tiers, key) ? policy.outpatient.tiers[key] : undefined) ?? policy.outpatient.default) : undefined;
  return {
    key,
    name,
    inpatient: row ? { deductible: formatMoney(row.deductible), ratio: formatRatio(row.ratio) } : null,
    inpatientStatus: row ? 'paid' : policy.inpatient?.otherTiers === 'not-covered' ? 'not-covered' : 'no-numbers',
    outpatientRatio: rule && rule.covered ? formatRatio(rule.ratio) : null,
  };
}

/** A policy of the book as a listing. */
export function describePolicy({ policy, sources }: LoadedPolicy): PolicyListing {
  return {
    id: policy.id,
    version: policy.version,
    region: policy.region,
    title: policy.title,
    document: policy.document,
    effective: { from: policy.effective.from, to: policy.effective.to },
    sources: [...sources],
    tierCatalogue: policy.tierCatalogue,
    tiers: Object.entries(policy.tiers).map(([key, tier]) => tierListing(policy, key, tier.name)),
    carePaths: CARE_PATHS.map((path) => carePath(policy, path)),
    clauses: collectClauses(policy),
  };
}

/** A listing as readable text. */
export function formatListing(listing: PolicyListing): string {
  const tiers = labelRows(
    listing.tiers.map((tier) => {
      const inpatient = tier.inpatient
        ? `inpatient deductible ${tier.inpatient.deductible}, ratio ${tier.inpatient.ratio}`
        : tier.inpatientStatus === 'not-covered'
          ? 'inpatient not covered'
          : 'inpatient: no numbers';
      const outpatient = tier.outpatientRatio ? `; outpatient ratio ${tier.outpatientRatio}` : '';
      return [tier.key, `${tier.name} · ${inpatient}${outpatient}`] as const;
    }),
    '    ',
  );
  const paths = labelRows(listing.carePaths.map((entry) => [entry.path, `${entry.status.padEnd(12)} ${entry.detail}`] as const), '    ');
  return [
    `${listing.id} ${listing.version} · ${listing.region} · in force ${listing.effective.from} … ${listing.effective.to ?? '(open-ended)'}`,
    `  ${listing.title} (${listing.document})`,
    `  sources: ${listing.sources.join(' + ')}`,
    `  tiers (catalogue ${listing.tierCatalogue}):`,
    ...(tiers.length > 0 ? tiers : ['    (none named)']),
    '  care paths:',
    ...paths,
    `  clauses (${listing.clauses.length}):`,
    ...listing.clauses.map((clause) => `    ${clause}`),
  ].join('\n');
}

/** Runs `claims policies`; returns the exit status. */
export async function runPolicies(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      policies: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    await writeOut(`${POLICIES_HELP}\n`);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`claims policies takes no arguments, got ${positionals[0]}; see claims policies --help`);
  const book = await loadPolicyBook(values.policies);
  const listings = [...book.policies]
    .sort((a, b) => a.policy.region.localeCompare(b.policy.region) || a.policy.effective.from.localeCompare(b.policy.effective.from))
    .map(describePolicy);
  if (values.json) await writeOut(`${JSON.stringify(listings, null, 2)}\n`);
  else await writeOut(`${listings.map(formatListing).join('\n\n')}\n`);
  return 0;
}
