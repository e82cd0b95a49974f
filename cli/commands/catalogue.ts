/** `claims catalogue load FILE`: validates the agency catalogue (医保目录) and loads it into the pipeline's table for the national gateway. */
import { parseArgs } from 'node:util';
import { createDynamoClient } from '../../functions/lib/clients.js';
import { NationalStore } from '../../functions/storage/visits.js';
import { InvalidCatalogueError, parseCatalogue } from '../../shared/national/catalogue.js';
import { CliError, UsageError } from '../errors.js';
import { readAllText, writeOut } from '../io.js';

export const CATALOGUE_HELP = `Usage: claims catalogue check|load FILE [options]

Validates an agency catalogue file (med_list_codg → item category and class-b self-pay ratio, and the
serious-disease list; format in docs/national-interface.md#the-catalogue-file). check only validates;
load also writes it into the table the national gateway answers 2301 fee lines from (one item per code;
a code already loaded is replaced).

Options:
  --table NAME         the table (default: $TABLE_NAME)
  --endpoint URL       a DynamoDB endpoint, e.g. the local stack's (default: $DYNAMODB_ENDPOINT, else AWS)
  --region REGION      default: $AWS_REGION, else us-east-1
  -h, --help           show this help

Exit status: 0 valid (and loaded); 2 the file is not a valid catalogue; 1 other errors; 64 usage.`;

/** Runs `claims catalogue`; returns the exit status. */
export async function runCatalogue(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { table: { type: 'string' }, endpoint: { type: 'string' }, region: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) {
    await writeOut(`${CATALOGUE_HELP}\n`);
    return 0;
  }
  const [action, file, ...extra] = positionals;
  if ((action !== 'load' && action !== 'check') || file === undefined || extra.length > 0) throw new UsageError('usage: claims catalogue check|load FILE; see claims catalogue --help');
  let catalogue;
  try {
    catalogue = parseCatalogue(JSON.parse(await readAllText(file)));
  } catch (error) {
    if (error instanceof SyntaxError) {
      process.stderr.write(`claims: ${file} is not JSON: ${error.message}\n`);
      return 2;
    }
    if (error instanceof InvalidCatalogueError) {
      process.stderr.write(`claims: ${file}: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const summary = `${catalogue.file.id} ${catalogue.file.version}: ${catalogue.size} codes, ${catalogue.file.seriousDiseases.length} serious diseases`;
  if (action === 'check') {
    process.stderr.write(`claims catalogue: ${summary}, valid\n`);
    return 0;
  }
  const tableName = values.table ?? process.env['TABLE_NAME'];
  if (!tableName) throw new UsageError('no table: pass --table or set TABLE_NAME');
  const endpoint = values.endpoint ?? process.env['DYNAMODB_ENDPOINT'];
  const db = createDynamoClient({ region: values.region ?? process.env['AWS_REGION'] ?? 'us-east-1', ...(endpoint ? { dynamoEndpoint: endpoint } : {}) });
  try {
    await new NationalStore(db, tableName).loadCatalogue(catalogue.file);
    process.stderr.write(`claims catalogue: loaded ${summary} into ${tableName}\n`);
    return 0;
  } catch (error) {
    throw new CliError(`could not load the catalogue into ${tableName}: ${(error as Error).message}`, 1, { cause: error });
  } finally {
    db.destroy();
  }
}
