/**
 * Field-level envelope encryption of personal data at rest (a registry member's name and ID number),
 * with the AWS Encryption SDK: every field is one Encryption SDK message whose data key is wrapped by
 * the stack's KMS key in AWS, or by a raw AES-256 key from a local key file on the local stack.
 *
 * - The encryption context `{purpose, field}` is authenticated with every message, and KMS sees it:
 *   a role's `kms:Decrypt` can be limited to this purpose (infra/functions.ts).
 * - The owner (the member id) is sealed inside the plaintext and checked on decryption, so a
 *   ciphertext copied onto another member, or into the other field, does not decrypt there.
 * - The algorithm suite commits to its key and has no signature: writers and readers hold the same
 *   key, so a signature would add ~100 bytes and an ECDSA operation per field for nothing.
 * - A caching materials manager reuses a data key for up to 10,000 fields or 5 minutes, so loading a
 *   registry costs a few KMS calls, not two per member.
 * - The SDK is loaded on the first field encrypted or decrypted: the intake evaluates it only when a
 *   slip or the national interface first needs a name, never on the claim path.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import type { KeyringNode } from '@aws-crypto/client-node';
import { CALL_TIMEOUTS } from '../lib/clients.js';

/** The fields of a registry member that are stored encrypted. */
export const PERSONAL_FIELDS = ['name', 'idNumber'] as const;
export type PersonalField = (typeof PERSONAL_FIELDS)[number];

/** The encryption context's purpose: a KMS key policy or IAM condition names it. */
export const FIELD_PURPOSE = 'registry-person';

/** A local key file holds 32 random bytes, base64. */
const KEY_BYTES = 32;
/** A data key serves at most this many fields, and for at most this long. */
const CACHE = { maxMessagesEncrypted: 10_000, maxAge: 5 * 60_000, entries: 1_000 } as const;

/** Any failure of field encryption. */
export class FieldCryptoError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'FieldCryptoError';
  }
}

/** No usable key: none configured, a key file missing, of the wrong size, or readable by others. */
export class FieldKeyError extends FieldCryptoError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'FieldKeyError';
  }
}

/** A stored field that does not decrypt with this key, was altered, or belongs to another owner or field. */
export class FieldDecryptError extends FieldCryptoError {
  constructor(
    readonly field: PersonalField,
    readonly ownerId: string,
    options?: ErrorOptions,
  ) {
    super(`the stored ${field} of ${ownerId} does not decrypt with this key (another key, or the value was altered or moved)`, options);
    this.name = 'FieldDecryptError';
  }
}

/** Encrypts and decrypts one personal field of one owner. */
export interface FieldCipher {
  /** Where the key is (a KMS key ARN or a key file path), never the key. */
  readonly keySource: string;
  encrypt(field: PersonalField, ownerId: string, value: string): Promise<Uint8Array>;
  /** @throws FieldDecryptError when the ciphertext is not this key's, this owner's and this field's. */
  decrypt(field: PersonalField, ownerId: string, ciphertext: Uint8Array): Promise<string>;
}

type Sdk = typeof import('@aws-crypto/client-node');
let loading: Promise<Sdk> | undefined;
const loadSdk = (): Promise<Sdk> => (loading ??= import('@aws-crypto/client-node'));

/** The SDK's client and this key's caching materials manager, made on first use. */
async function machinery(keyringOf: (sdk: Sdk) => KeyringNode) {
  const sdk = await loadSdk();
  const client = sdk.buildClient({ commitmentPolicy: sdk.CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT, maxEncryptedDataKeys: 1 });
  const materials = new sdk.NodeCachingMaterialsManager({
    backingMaterials: keyringOf(sdk),
    cache: sdk.getLocalCryptographicMaterialsCache(CACHE.entries),
    maxAge: CACHE.maxAge,
    maxMessagesEncrypted: CACHE.maxMessagesEncrypted,
  });
  return { client, materials, suiteId: sdk.AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY };
}

function cipherOver(keyringOf: (sdk: Sdk) => KeyringNode, keySource: string): FieldCipher {
  let made: ReturnType<typeof machinery> | undefined;
  const ready = (): ReturnType<typeof machinery> =>
    (made ??= machinery(keyringOf).catch((error: unknown) => {
      throw new FieldKeyError(`could not set up the field key ${keySource}`, { cause: error });
    }));
  return {
    keySource,
    async encrypt(field, ownerId, value) {
      const sealed = JSON.stringify([ownerId, value]);
      const { client, materials, suiteId } = await ready();
      try {
        const { result } = await client.encrypt(materials, sealed, { encryptionContext: { purpose: FIELD_PURPOSE, field }, suiteId });
        return new Uint8Array(result);
      } catch (error) {
        throw new FieldCryptoError(`could not encrypt the ${field} of ${ownerId} with ${keySource}`, { cause: error });
      }
    },
    async decrypt(field, ownerId, ciphertext) {
      const { client, materials } = await ready();
      let opened: { plaintext: Buffer; messageHeader: { encryptionContext: Record<string, string> } };
      try {
        opened = await client.decrypt(materials, Buffer.from(ciphertext));
      } catch (error) {
        throw new FieldDecryptError(field, ownerId, { cause: error });
      }
      const context = opened.messageHeader.encryptionContext;
      let sealed: unknown;
      try {
        sealed = JSON.parse(opened.plaintext.toString('utf8'));
      } catch (error) {
        throw new FieldDecryptError(field, ownerId, { cause: error });
      }
      const valid = context['purpose'] === FIELD_PURPOSE && context['field'] === field && Array.isArray(sealed) && sealed[0] === ownerId && typeof sealed[1] === 'string';
      if (!valid) throw new FieldDecryptError(field, ownerId);
      return (sealed as [string, string])[1];
    },
  };
}

/** Fields wrapped by a KMS key (the stack's data key in AWS); KMS calls get the pipeline's time limits. */
export function kmsFieldCipher(keyArn: string): FieldCipher {
  const keyring = (sdk: Sdk): KeyringNode =>
    new sdk.KmsKeyringNode({
      generatorKeyId: keyArn,
      clientProvider: sdk.cacheClients(sdk.getClient(sdk.KMS, { requestHandler: { ...CALL_TIMEOUTS, throwOnRequestTimeout: true } })),
    });
  return cipherOver(keyring, `KMS key ${keyArn}`);
}

/** Fields wrapped by a raw AES-256 key (the local stack's key file). */
export function rawAesFieldCipher(key: Uint8Array, keySource: string): FieldCipher {
  if (key.length !== KEY_BYTES) throw new FieldKeyError(`${keySource} must hold ${KEY_BYTES} bytes, it holds ${key.length}`);
  // The SDK zeroes the key it is given when the keyring is released: give it a copy.
  const copy = new Uint8Array(key);
  const keyring = (sdk: Sdk): KeyringNode =>
    new sdk.RawAesKeyringNode({
      keyName: 'field-key',
      keyNamespace: 'resident-claims-local',
      unencryptedMasterKey: copy,
      wrappingSuite: sdk.RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
    });
  return cipherOver(keyring, `key file ${keySource}`);
}

/**
 * The key of a local key file, creating the file (0600, 32 random bytes) when it does not exist.
 * @throws FieldKeyError when the file is readable by others or not a key.
 */
export function localFieldKey(path: string, options: { create?: boolean } = {}): Uint8Array {
  if (options.create) {
    try {
      writeFileSync(path, `${randomBytes(KEY_BYTES).toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new FieldKeyError(`could not create the key file ${path}`, { cause: error });
    }
  }
  let text: string;
  try {
    if ((statSync(path).mode & 0o077) !== 0) throw new FieldKeyError(`the key file ${path} is open to other users: chmod 600 it`);
    text = readFileSync(path, 'utf8').trim();
  } catch (error) {
    if (error instanceof FieldKeyError) throw error;
    throw new FieldKeyError(`could not read the key file ${path}`, { cause: error });
  }
  const key = Buffer.from(text, 'base64');
  if (key.length !== KEY_BYTES || key.toString('base64') !== text) throw new FieldKeyError(`the key file ${path} does not hold a base64 ${KEY_BYTES}-byte key`);
  return key;
}

/** A cipher over a local key file (see `localFieldKey`). */
export function fileFieldCipher(path: string, options: { create?: boolean } = {}): FieldCipher {
  return rawAesFieldCipher(localFieldKey(path, options), path);
}

/**
 * The cipher the environment configures: `FIELD_KEY_ARN` (a KMS key, as deployed) or `FIELD_KEY_FILE`
 * (a local key file); undefined when neither is set.
 */
export function fieldCipherFromEnv(env: NodeJS.ProcessEnv = process.env): FieldCipher | undefined {
  const arn = env['FIELD_KEY_ARN'];
  if (arn) return kmsFieldCipher(arn);
  const file = env['FIELD_KEY_FILE'];
  return file ? fileFieldCipher(file) : undefined;
}
