/** Loading a registry file into the table and issuing API keys. */
import type { RegistryFile } from '../../shared/registry/registry.js';
import { type Caller, isRevoked } from '../storage/keys-store.js';
import type { Stores } from '../storage/stores.js';

export { newApiKey } from '../storage/keys-store.js';

/** An API key issued by a load: shown once, stored only as a hash. */
export interface IssuedKey {
  readonly role: Caller['role'];
  readonly id: string;
  /** Null when the caller already had a key and no rotation was asked for. */
  readonly apiKey: string | null;
  /** The id of the key issued now (`claims keys revoke ID`), null when none was. */
  readonly keyId: string | null;
}

/**
 * Writes every member, hospital and operator of the registry, and issues an API key to each hospital
 * and operator that has no key in force (or to all with `rotateKeys`; older keys stay valid until
 * revoked one by one, `claims keys revoke`).
 */
export async function loadRegistry(
  stores: Pick<Stores, 'registry' | 'keys' | 'accepted'>,
  registry: RegistryFile,
  options: { rotateKeys?: boolean; concurrency?: number } = {},
): Promise<IssuedKey[]> {
  const concurrency = options.concurrency ?? 16;
  const tasks: (() => Promise<void>)[] = [
    ...registry.members.map((member) => () => stores.registry.putMember(member)),
    ...registry.hospitals.map((hospital) => () => stores.registry.putHospital(hospital)),
  ];
  for (let i = 0; i < tasks.length; i += concurrency) await Promise.all(tasks.slice(i, i + concurrency).map((task) => task()));
  // The sweeper reads each hospital's order: it learns the hospitals here.
  await stores.accepted.addHospitals(registry.hospitals.map((h) => h.id));
  const callers: Caller[] = [
    ...registry.hospitals.map((h) => ({ role: 'hospital' as const, id: h.id })),
    ...registry.operators.map((o) => ({ role: 'operator' as const, id: o.id })),
  ];
  const now = new Date();
  const holders = new Set(
    options.rotateKeys ? [] : (await stores.keys.list()).filter((key) => !isRevoked(key, now)).map((key) => `${key.role}:${key.id}`),
  );
  const issued: IssuedKey[] = [];
  for (const caller of callers) {
    if (holders.has(`${caller.role}:${caller.id}`)) {
      issued.push({ ...caller, apiKey: null, keyId: null });
      continue;
    }
    const { apiKey, record } = await stores.keys.issue(caller, now);
    issued.push({ ...caller, apiKey, keyId: record.keyId });
  }
  return issued;
}
