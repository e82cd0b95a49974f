/** `claims registry load FILE`: loads members and hospitals into the pipeline's table and prints the API keys it issues. */
import { parseArgs } from 'node:util';
import { createDynamoClient } from '../../functions/lib/clients.js';
import { FieldCryptoError, fileFieldCipher, kmsFieldCipher } from '../../functions/storage/field-crypto.js';
import { openStores } from '../../functions/storage/stores.js';
import { loadRegistry } from '../../functions/lib/registry-loader.js';
import { InvalidRegistryError, parseRegistry } from '../../shared/registry/registry.js';
import { CliError, UsageError } from '../errors.js';
import { readAllText, writeOut } from '../io.js';

export const REGISTRY_HELP = `Usage: claims registry load FILE [options]

Loads a registry file (members, hospitals, operators; format in docs/pipeline.md) into the table and
prints one line per hospital and operator: its id and the API key issued now (shown only once; the
table keeps a hash). A caller that already has a key keeps it unless --rotate-keys.

Options:
  --table NAME         the table (default: $TABLE_NAME)
  --endpoint URL       a DynamoDB endpoint, e.g. the local stack's (default: $DYNAMODB_ENDPOINT, else AWS)
  --region REGION      default: $AWS_REGION, else us-east-1
  --kms-key ARN        the KMS key that encrypts members' names and ID numbers (default: $FIELD_KEY_ARN;
                       the stack's FieldKeyArn output)
  --key-file PATH      instead, a local key file (default: $FIELD_KEY_FILE; the local stack prints its path)
  --rotate-keys        issue a new key to every caller (older keys stay valid)
  -h, --help           show this help

Exit status: 0 loaded; 2 the file is not a valid registry; 1 other errors.`;

/** Runs `claims registry`; returns the exit status. */
export async function runRegistry(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      table: { type: 'string' },
      endpoint: { type: 'string' },
      region: { type: 'string' },
      'kms-key': { type: 'string' },
      'key-file': { type: 'string' },
      'rotate-keys': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    await writeOut(`${REGISTRY_HELP}\n`);
    return 0;
  }
  const [action, file, ...extra] = positionals;
  if (action !== 'load' || file === undefined || extra.length > 0) {
    throw new UsageError('usage: claims registry load FILE; see claims registry --help');
  }
  const tableName = values.table ?? process.env['TABLE_NAME'];
  if (!tableName) throw new UsageError('no table: pass --table or set TABLE_NAME');
  let registry;
  try {
    registry = parseRegistry(JSON.parse(await readAllText(file)));
  } catch (error) {
    if (error instanceof InvalidRegistryError) {
      process.stderr.write(`claims: ${error.message}\n`);
      return 2;
    }
    if (error instanceof SyntaxError) {
      process.stderr.write(`claims: ${file} is not JSON: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const kmsKey = values['kms-key'] ?? (values['key-file'] ? undefined : process.env['FIELD_KEY_ARN']);
  const keyFile = values['key-file'] ?? process.env['FIELD_KEY_FILE'];
  const personal = registry.members.some((member) => member.name !== undefined || member.idNumber !== undefined);
  if (personal && !kmsKey && !keyFile) throw new UsageError('members have names or ID numbers, which are stored encrypted: pass --kms-key ARN (or --key-file PATH locally)');
  let cipher;
  try {
    cipher = kmsKey ? kmsFieldCipher(kmsKey) : keyFile ? fileFieldCipher(keyFile) : undefined;
  } catch (error) {
    if (error instanceof FieldCryptoError) throw new CliError(error.message, 1, { cause: error });
    throw error;
  }
  const endpoint = values.endpoint ?? process.env['DYNAMODB_ENDPOINT'];
  const db = createDynamoClient({
    region: values.region ?? process.env['AWS_REGION'] ?? 'us-east-1',
    ...(endpoint ? { dynamoEndpoint: endpoint } : {}),
  });
  try {
    const issued = await loadRegistry(openStores(db, tableName, cipher), registry, { rotateKeys: values['rotate-keys'] });
    process.stderr.write(`loaded ${registry.members.length} members, ${registry.hospitals.length} hospitals, ${registry.operators.length} operators\n`);
    for (const key of issued) await writeOut(`${key.role}\t${key.id}\t${key.apiKey ?? '(key already issued; --rotate-keys for a new one)'}\n`);
    return 0;
  } catch (error) {
    throw new CliError(`could not load the registry into ${tableName}: ${(error as Error).message}`, 1, { cause: error });
  } finally {
    db.destroy();
  }
}
