/**
 * The registry's members and hospitals, one item each. The registry is authoritative for who a member
 * is and what tier a hospital has.
 *
 * A member item keeps what settlement needs (region, pooling area, birth date, categories, enrolments)
 * as JSON in `data`, and the member's name and ID number apart, each encrypted on its own
 * (`pn`, `pi`: functions/storage/field-crypto.ts). So the settle path, which reads `data` only, never
 * sees a name, and nothing personal is in the table in clear. Only `getPerson` decrypts.
 */
import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { RegistryHospital, RegistryMember } from '../../shared/registry/registry.js';
import { TtlCache } from './cache.js';
import { type DbItem, Table, jsonOf } from './dynamo.js';
import { type FieldCipher, FieldKeyError, PERSONAL_FIELDS, type PersonalField } from './field-crypto.js';
import { hospitalKey, memberKey } from './keys.js';
import { ATTR } from './table.js';

/** How long a container trusts a cached member for the intake's existence check. */
export const MEMBER_CACHE_MS = 60_000;

/** The attribute of each encrypted personal field. */
const FIELD_ATTRS: Readonly<Record<PersonalField, string>> = { name: ATTR.personName, idNumber: ATTR.personIdNumber };

/** A member without its personal fields: what settlement and admission need. */
function factsOf(member: RegistryMember): RegistryMember {
  const { name: _name, idNumber: _idNumber, ...facts } = member;
  return facts;
}

export class RegistryStore {
  private readonly table: Table;
  private readonly members = new TtlCache<RegistryMember>(MEMBER_CACHE_MS);

  /** `cipher`: the field key; needed to write a member with a name or ID number, and to read them back. */
  constructor(
    db: DynamoDBClient,
    tableName: string,
    private readonly cipher?: FieldCipher,
  ) {
    this.table = new Table(db, tableName);
  }

  /**
   * A registry member without its name and ID number, or undefined when the registry does not know
   * the id (`consistent`: reflects every write before the read). Decrypts nothing.
   */
  async getMember(memberId: string, consistent = false): Promise<RegistryMember | undefined> {
    const member = await this.table.getJson<RegistryMember>(memberKey(memberId), consistent);
    return member && factsOf(member);
  }

  /**
   * A registry member with its name and ID number decrypted (for the slip and the national interface,
   * which show them masked), or undefined.
   * @throws FieldKeyError when the member has encrypted fields and this store has no key.
   * @throws FieldDecryptError when they do not decrypt with it.
   */
  async getPerson(memberId: string): Promise<RegistryMember | undefined> {
    const item = await this.table.get(memberKey(memberId));
    const member = jsonOf<RegistryMember>(item);
    if (!item || !member) return undefined;
    const person: RegistryMember = { ...factsOf(member) };
    for (const field of PERSONAL_FIELDS) {
      const sealed = item[FIELD_ATTRS[field]]?.B;
      if (sealed === undefined) continue;
      if (!this.cipher) throw new FieldKeyError(`member ${memberId} has an encrypted ${field} and no field key is configured`);
      person[field] = await this.cipher.decrypt(field, member.id, sealed);
    }
    return person;
  }

  /** A registry hospital, or undefined. */
  getHospital(hospitalId: string): Promise<RegistryHospital | undefined> {
    return this.table.getJson<RegistryHospital>(hospitalKey(hospitalId));
  }

  /** Whether the registry knows the member (cached for the intake's check; the settle handler reads the member itself). */
  async memberExists(memberId: string): Promise<boolean> {
    return (await this.members.get(memberId, () => this.getMember(memberId))) !== undefined;
  }

  /**
   * Writes a registry member (replacing the previous record), its name and ID number encrypted.
   * @throws FieldKeyError when the member has a name or ID number and this store has no key.
   */
  async putMember(member: RegistryMember): Promise<void> {
    const item: DbItem = { [ATTR.key]: { S: memberKey(member.id) }, data: { S: JSON.stringify(factsOf(member)) } };
    for (const field of PERSONAL_FIELDS) {
      const value = member[field];
      if (value === undefined) continue;
      if (!this.cipher) throw new FieldKeyError(`member ${member.id} has a ${field}, and no field key is configured to encrypt it (FIELD_KEY_ARN or FIELD_KEY_FILE)`);
      item[FIELD_ATTRS[field]] = { B: await this.cipher.encrypt(field, member.id, value) } satisfies AttributeValue;
    }
    await this.table.put(item);
  }

  /** Writes a registry hospital (replacing the previous record). */
  async putHospital(hospital: RegistryHospital): Promise<void> {
    await this.table.putJson(hospitalKey(hospital.id), hospital);
  }
}
