/**
 * `claims keys issue|list|revoke`: the API keys of the pipeline's table, one caller and one key at a
 * time. Rotation overlaps: issue a second key to the caller, let its HIS switch, revoke the old key.
 * `claims keys token`: a hospital's national signing token (functions/gateway/signing.ts).
 */
import { parseArgs } from 'node:util';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoClient } from '../../functions/lib/clients.js';
import { type ApiKeyRecord, type Caller, UnknownKeyIdError, isRevoked } from '../../functions/storage/keys-store.js';
import { openStores, type Stores } from '../../functions/storage/stores.js';
import { CliError, EXIT_NOTHING, UsageError } from '../errors.js';
import { writeOut } from '../io.js';
import { paasTokenOf } from '../../functions/gateway/signing.js';

export const KEYS_HELP = `Usage: claims keys issue hospital|operator ID [options]
       claims keys list [--owner ID] [options]
       claims keys revoke KEY-ID [--at TIME] [options]
       claims keys token HOSPITAL-ID [options]

The API keys of the pipeline's table (the table keeps only their SHA-256):

  issue     a new key for one hospital or operator, printed once: role, id, key id, key. The
            caller's other keys stay valid: to rotate, issue, let the caller switch, then revoke.
            A hospital must be in the registry (claims registry load).
  list      every key with an id: key id, role, owner, created, revoked (or -), state, fingerprint
            (the first 12 hex digits of the key's SHA-256: printf %s "$KEY" | sha256sum | cut -c1-12)
  revoke    a key by its id, now or from --at TIME (ISO 8601, e.g. 2027-01-31T16:00:00Z) on. The
            API refuses it (403) once the authorizer's 5-minute cache of that key runs out.
  token     the national gateway's signing token of a hospital (its x-tif-paasid is its id):
            hospital, id, token. Derived from the table's signing secret, made on first use;
            never stored. Changing the secret (deleting its item) revokes every token at once.

Options:
  --owner ID           list: only the keys of this hospital or operator
  --at TIME            revoke: from this time on instead of now
  --table NAME         the table (default: $TABLE_NAME)
  --endpoint URL       a DynamoDB endpoint, e.g. the local stack's (default: $DYNAMODB_ENDPOINT, else AWS)
  --region REGION      default: $AWS_REGION, else us-east-1
  -h, --help           show this help

Exit status: 0 done; 1 other errors (no such key id, a hospital not in the registry, the table
unreachable); 3 list found no key; 64 usage error.`;

const ROLES: readonly Caller['role'][] = ['hospital', 'operator'];

/** One line of `list`: tab-separated, `-` for no date. */
function lineOf(record: ApiKeyRecord, now: Date): string {
  const state = isRevoked(record, now) ? 'revoked' : record.revokedAt === null ? 'active' : 'revoking';
  return [record.keyId ?? '-', record.role, record.id, record.createdAt ?? '-', record.revokedAt ?? '-', state, record.fingerprint].join('\t');
}

/** An ISO 8601 time with its zone, or a usage error naming the option. */
function timeOf(text: string): Date {
  const at = new Date(text);
  if (!/(Z|[+-]\d\d:?\d\d)$/.test(text) || Number.isNaN(at.getTime())) {
    throw new UsageError(`--at ${text} is not an ISO 8601 time with a zone, e.g. 2027-01-31T16:00:00Z`);
  }
  return at;
}

async function issue(stores: Stores, positionals: string[]): Promise<number> {
  const [role, id, ...extra] = positionals;
  if (!ROLES.includes(role as Caller['role']) || id === undefined || id === '' || extra.length > 0) {
    throw new UsageError('usage: claims keys issue hospital|operator ID; see claims keys --help');
  }
  const caller: Caller = { role: role as Caller['role'], id };
  if (caller.role === 'hospital' && (await stores.registry.getHospital(id)) === undefined) {
    throw new CliError(`hospital ${id} is not in the registry: load it first (claims registry load)`);
  }
  const { apiKey, record } = await stores.keys.issue(caller, new Date());
  await writeOut(`${caller.role}\t${caller.id}\t${record.keyId}\t${apiKey}\n`);
  return 0;
}

async function list(stores: Stores, positionals: string[], owner: string | undefined): Promise<number> {
  if (positionals.length > 0) throw new UsageError('usage: claims keys list [--owner ID]; see claims keys --help');
  const now = new Date();
  const keys = (await stores.keys.list()).filter((key) => owner === undefined || key.id === owner);
  if (keys.length === 0) {
    process.stderr.write(`claims: warning: no API key${owner === undefined ? '' : ` of ${owner}`} has an id (claims keys issue)\n`);
    return EXIT_NOTHING;
  }
  await writeOut(`key\trole\towner\tcreated\trevoked\tstate\tfingerprint\n${keys.map((key) => `${lineOf(key, now)}\n`).join('')}`);
  return 0;
}

async function revoke(stores: Stores, positionals: string[], at: string | undefined): Promise<number> {
  const [keyId, ...extra] = positionals;
  if (keyId === undefined || extra.length > 0) throw new UsageError('usage: claims keys revoke KEY-ID [--at TIME]; see claims keys --help');
  const when = at === undefined ? new Date() : timeOf(at);
  try {
    const record = await stores.keys.revoke(keyId, when);
    process.stderr.write(`revoked ${keyId} of ${record.role} ${record.id} from ${record.revokedAt}\n`);
    await writeOut(`${lineOf(record, new Date())}\n`);
    return 0;
  } catch (error) {
    if (error instanceof UnknownKeyIdError) throw new CliError(error.message, 1, { cause: error });
    throw error;
  }
}

async function token(stores: Stores, positionals: string[]): Promise<number> {
  const [id, ...extra] = positionals;
  if (id === undefined || id === '' || extra.length > 0) throw new UsageError('usage: claims keys token HOSPITAL-ID; see claims keys --help');
  if ((await stores.registry.getHospital(id)) === undefined) throw new CliError(`hospital ${id} is not in the registry: load it first (claims registry load)`);
  const secret = await stores.keys.ensureSigningSecret();
  await writeOut(`hospital\t${id}\t${paasTokenOf(secret, id)}\n`);
  return 0;
}

/** Runs `claims keys`; returns the exit status. */
export async function runKeys(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      owner: { type: 'string' },
      at: { type: 'string' },
      table: { type: 'string' },
      endpoint: { type: 'string' },
      region: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    await writeOut(`${KEYS_HELP}\n`);
    return 0;
  }
  const [action, ...rest] = positionals;
  if (action !== 'issue' && action !== 'list' && action !== 'revoke' && action !== 'token') {
    throw new UsageError('usage: claims keys issue|list|revoke|token …; see claims keys --help');
  }
  if (values.owner !== undefined && action !== 'list') throw new UsageError('--owner is an option of claims keys list');
  if (values.at !== undefined && action !== 'revoke') throw new UsageError('--at is an option of claims keys revoke');
  const tableName = values.table ?? process.env['TABLE_NAME'];
  if (!tableName) throw new UsageError('no table: pass --table or set TABLE_NAME');
  const endpoint = values.endpoint ?? process.env['DYNAMODB_ENDPOINT'];
  const db: DynamoDBClient = createDynamoClient({
    region: values.region ?? process.env['AWS_REGION'] ?? 'us-east-1',
    ...(endpoint ? { dynamoEndpoint: endpoint } : {}),
  });
  const stores = openStores(db, tableName);
  try {
    if (action === 'issue') return await issue(stores, rest);
    if (action === 'list') return await list(stores, rest, values.owner);
    if (action === 'token') return await token(stores, rest);
    return await revoke(stores, rest, values.at);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`could not ${action} keys in ${tableName}: ${(error as Error).message}`, 1, { cause: error });
  } finally {
    db.destroy();
  }
}
