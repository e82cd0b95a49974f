/** Loading a registry file into the table and issuing API keys. */
import { randomBytes } from 'node:crypto';
import type { RegistryFile } from '../../shared/registry/registry.js';
import type { Caller } from '../storage/keys-store.js';
import type { Stores } from '../storage/stores.js';

/** An API key issued by a load: shown once, stored only as a hash. */
export interface IssuedKey {
  readonly role: Caller['role'];
  readonly id: string;
  /** Null when the caller already had a key and no rotation was asked for. */
  readonly apiKey: string | null;
}

/** A new random API key. */
export function newApiKey(): string {
  return `ck_${randomBytes(24).toString('base64url')}`;
}

/**
 * Writes every member, hospital and operator of the registry, and issues an API key to each hospital
 * and operator that has none yet (or to all with `rotateKeys`; older keys stay valid).
 */
export async function loadRegistry(
  stores: Pick<Stores, 'registry' | 'keys'>,
  registry: RegistryFile,
  options: { rotateKeys?: boolean; concurrency?: number } = {},
): Promise<IssuedKey[]> {
  const concurrency = options.concurrency ?? 16;
  const tasks: (() => Promise<void>)[] = [
    ...registry.members.map((member) => () => stores.registry.putMember(member)),
    ...registry.hospitals.map((hospital) => () => stores.registry.putHospital(hospital)),
  ];
  for (let i = 0; i < tasks.length; i += concurrency) await Promise.all(tasks.slice(i, i + concurrency).map((task) => task()));
  const callers: Caller[] = [
    ...registry.hospitals.map((h) => ({ role: 'hospital' as const, id: h.id })),
    ...registry.operators.map((o) => ({ role: 'operator' as const, id: o.id })),
  ];
  const issued: IssuedKey[] = [];
  for (const caller of callers) {
    if (!options.rotateKeys && (await stores.keys.hasIssuedKey(caller))) {
      issued.push({ ...caller, apiKey: null });
      continue;
    }
    const apiKey = newApiKey();
    await stores.keys.putApiKey(apiKey, caller);
    await stores.keys.markKeyIssued(caller, new Date().toISOString());
    issued.push({ ...caller, apiKey });
  }
  return issued;
}
