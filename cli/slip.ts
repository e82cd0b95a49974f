/**
 * The command line's side of the settlement slip: it gathers what the core's one slip renderer
 * (shared/province/slip) needs — the claim, the policy, the registry's names when a file is given,
 * the time of settlement — and reads the registry file.
 */
import type { Claim } from '../shared/contract/claim.js';
import type { Settlement } from '../shared/engine/settlement.js';
import type { PolicyBook } from '../shared/policy/book.js';
import { type SlipPaper, buildSlip, slipHtml, slipText } from '../shared/province/slip/index.js';
import { InvalidRegistryError, type RegistryFile, type RegistryHospital, type RegistryMember, parseRegistry } from '../shared/registry/registry.js';
import { CliError } from './errors.js';
import { readAllText } from './io.js';

/** What the slip shows beyond the settlement; every part is optional (a part left out shows as —). */
export interface SlipSources {
  /** The claim settled: dates, categories, tier, care facts. */
  readonly claim?: Claim | undefined;
  /** The hospital's tier when the claim is not passed. */
  readonly hospitalTier?: string | undefined;
  readonly book?: PolicyBook | undefined;
  /** The registry file's members and hospitals by id, for names and ID numbers (masked on the slip). */
  readonly registry?: RegistryIndex | undefined;
  /** When the claim was settled (ISO 8601). */
  readonly settledAt?: string | undefined;
}

/** A registry file's members and hospitals by id: each slip of a long --lines run looks them up once. */
export interface RegistryIndex {
  readonly members: ReadonlyMap<string, RegistryMember>;
  readonly hospitals: ReadonlyMap<string, RegistryHospital>;
}

/** Indexes a registry file by id. */
export function indexRegistry(file: RegistryFile): RegistryIndex {
  return { members: new Map(file.members.map((m) => [m.id, m])), hospitals: new Map(file.hospitals.map((h) => [h.id, h])) };
}

function slipOf(settlement: Settlement, sources: SlipSources) {
  return buildSlip({
    settlement,
    claim: sources.claim,
    hospitalTier: sources.hospitalTier,
    member: sources.registry?.members.get(settlement.memberId),
    hospital: sources.registry?.hospitals.get(settlement.hospitalId),
    policy: settlement.policy === null ? undefined : sources.book?.get(settlement.policy)?.policy,
    settledAt: sources.settledAt,
  });
}

/** The slip as terminal text, Chinese first. */
export function formatSlip(settlement: Settlement, sources: SlipSources = {}): string {
  return slipText(slipOf(settlement, sources));
}

/** The slip as a printable, self-contained HTML page. */
export function formatSlipHtml(settlement: Settlement, sources: SlipSources = {}, paper: SlipPaper = 'a4'): string {
  return slipHtml(slipOf(settlement, sources), { paper });
}

/**
 * Reads and validates a registry file for the slip's names.
 * @throws CliError (exit 2) naming the file and every bad field.
 */
export async function readRegistryFile(file: string): Promise<RegistryFile> {
  const text = await readAllText(file);
  try {
    return parseRegistry(JSON.parse(text));
  } catch (error) {
    if (error instanceof InvalidRegistryError) throw new CliError(`${file}: ${error.message}`, 2, { cause: error });
    if (error instanceof SyntaxError) throw new CliError(`${file} is not JSON: ${error.message}`, 2, { cause: error });
    throw error;
  }
}
