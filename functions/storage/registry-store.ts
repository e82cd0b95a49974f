/**
 * The registry's members and hospitals, one item each, as the JSON the registry file validated to.
 * The registry is authoritative for who a member is and what tier a hospital has.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { RegistryHospital, RegistryMember } from '../../shared/registry/registry.js';
import { TtlCache } from './cache.js';
import { Table } from './dynamo.js';
import { hospitalKey, memberKey } from './keys.js';

/** How long a container trusts a cached member for the intake's existence check. */
export const MEMBER_CACHE_MS = 60_000;

export class RegistryStore {
  private readonly table: Table;
  private readonly members = new TtlCache<RegistryMember>(MEMBER_CACHE_MS);

  constructor(db: DynamoDBClient, tableName: string) {
    this.table = new Table(db, tableName);
  }

  /** A registry member, or undefined when the registry does not know the id (`consistent`: reflects every write before the read). */
  getMember(memberId: string, consistent = false): Promise<RegistryMember | undefined> {
    return this.table.getJson<RegistryMember>(memberKey(memberId), consistent);
  }

  /** A registry hospital, or undefined. */
  getHospital(hospitalId: string): Promise<RegistryHospital | undefined> {
    return this.table.getJson<RegistryHospital>(hospitalKey(hospitalId));
  }

  /** Whether the registry knows the member (cached for the intake's check; the settle handler reads the member itself). */
  async memberExists(memberId: string): Promise<boolean> {
    return (await this.members.get(memberId, () => this.getMember(memberId))) !== undefined;
  }

  /** Writes a registry member (replacing the previous record). */
  async putMember(member: RegistryMember): Promise<void> {
    await this.table.putJson(memberKey(member.id), member);
  }

  /** Writes a registry hospital (replacing the previous record). */
  async putHospital(hospital: RegistryHospital): Promise<void> {
    await this.table.putJson(hospitalKey(hospital.id), hospital);
  }
}
