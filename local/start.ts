/**
 * `npm start`: the whole pipeline on this machine (see docs/pipeline.md). DynamoDB keeps its data in
 * .data/ across restarts (`--fresh` starts empty); `--demo` pushes the example claims through the API
 * and prints a settlement slip for each.
 */
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { claimDataDir } from './data-dir.js';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { SettlementJson } from '../shared/engine/settlement.js';
import { loadRegistry } from '../functions/lib/registry-loader.js';
import { parseClaim } from '../shared/contract/claim.js';
import { builtInPolicyBook } from '../shared/policy/book.js';
import { readSettlementRecord } from '../shared/province/settlement-record.js';
import { buildSlip, slipText } from '../shared/province/slip/index.js';
import { type RegistryFile, parseRegistry } from '../shared/registry/registry.js';
import { loadDemo } from './demo.js';
import { DEMO_FIXMEDINS_CODE, demoCatalogueOf, nationalDemoRegistry } from './national/demo.js';
import { paasTokenOf } from '../functions/gateway/signing.js';
import { LocalStackError } from './errors.js';
import { startLocalStack, waitFor } from './stack.js';

const HELP = `Usage: npm start -- [--demo] [--fresh] [--standard] [--port N] [--data DIR]

Runs DynamoDB Local and fauxqs (SQS) on 127.0.0.1, creates the table and queues, loads the demo
registry, serves the intake API on 127.0.0.1:$PORT (default 3000) and settles the queue with the
settle handler. Ctrl-C stops everything.

  --demo       push the example claims and print a settlement slip for each
  --fresh      delete the kept data first
  --standard   use a standard queue instead of FIFO (correctness does not depend on FIFO)
  --port N     the API's port (default $PORT or 3000)
  --data DIR   where data is kept (default .data; 0700, one stack at a time)
  --sweep-after N  queue again claims accepted N s ago and still unsettled (default 60)
  --exit       stop after the demo instead of serving`;

/**
 * The slip of a demo claim as the cashier would print it: the same renderer as `claims settle
 * --format slip` and the API's slip page, from the API's answer, the claim and the demo registry.
 */
function demoSlip(settlement: SettlementJson, settledAt: string | undefined, claim: unknown, registry: RegistryFile): string {
  const record = readSettlementRecord(settlement);
  const policy = record.settlement.policy === null ? undefined : builtInPolicyBook().get(record.settlement.policy)?.policy;
  return slipText(
    buildSlip({
      settlement: record.settlement,
      claim: parseClaim(claim),
      member: registry.members.find((m) => m.id === record.settlement.memberId),
      hospital: registry.hospitals.find((h) => h.id === record.settlement.hospitalId),
      policy,
      settledAt,
    }),
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      demo: { type: 'boolean', default: false },
      fresh: { type: 'boolean', default: false },
      standard: { type: 'boolean', default: false },
      exit: { type: 'boolean', default: false },
      port: { type: 'string' },
      data: { type: 'string', default: '.data' },
      'sweep-after': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const dataDir = values.data;
  if (values.fresh) rmSync(dataDir, { recursive: true, force: true });
  // 0700, files 0600, one stack at a time (the lock holds this pid).
  const release = claimDataDir(dataDir);
  process.once('exit', release);
  const port = Number(values.port ?? process.env['PORT'] ?? 3000);
  const keysFile = join(dataDir, 'api-keys.json');

  process.stdout.write('starting DynamoDB Local and fauxqs on 127.0.0.1 …\n');
  const stack = await startLocalStack({
    dataDir,
    // --sweep-after N: queue again claims accepted N s ago and unsettled (default 60), checked every N/4 s.
    ...(values['sweep-after'] ? { staleAfterMs: Number(values['sweep-after']) * 1000, sweepEveryMs: Math.max(250, Number(values['sweep-after']) * 250) } : {}),
    fifo: !values.standard,
    port,
    logLevel: (process.env['LOG_LEVEL'] as 'INFO' | undefined) ?? 'WARN',
  });
  const shutdown = async (): Promise<void> => {
    process.stdout.write('\nstopping …\n');
    await stack.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());

  const demo = loadDemo();
  const national = nationalDemoRegistry(Number(new Date().toISOString().slice(0, 4)));
  demo.registry.hospitals?.push(...national.hospitals);
  demo.registry.members?.push(...national.members);
  const registry = parseRegistry(demo.registry);
  const issued = await loadRegistry(stack.stores, registry);
  // The agency catalogue the national gateway answers fee lines from.
  const catalogue = demoCatalogueOf();
  await stack.stores.national.loadCatalogue(catalogue.file);
  // The national gateway's signing secret, in the key store where the gateway and the deployed authorizer read it (made once, kept
  // with the data); a data folder from before keeps the secret of its file, so the tokens it printed still work.
  const legacySecret = join(dataDir, 'national-signing-secret');
  const signingSecret = await stack.stores.keys.ensureSigningSecret(existsSync(legacySecret) ? readFileSync(legacySecret, 'utf8').trim() : undefined);
  // Keys are shown once and stored hashed; the local stack keeps them so a restart can still use them.
  const keys: Record<string, string> = existsSync(keysFile) ? (JSON.parse(readFileSync(keysFile, 'utf8')) as Record<string, string>) : {};
  for (const key of issued) if (key.apiKey) keys[`${key.role}:${key.id}`] = key.apiKey;
  writeFileSync(keysFile, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  chmodSync(keysFile, 0o600);

  const firstHospital = demo.registry.hospitals?.[0]?.id ?? '';
  process.stdout.write(
    [
      `intake API   ${stack.apiUrl}`,
      `DynamoDB     ${stack.dynamoEndpoint} (table ${stack.tableName}, data in ${join(dataDir, 'dynamodb')})`,
      `SQS          ${stack.sqsEndpoint} (${stack.queueUrl}, messages in ${join(dataDir, 'sqs')})`,
      `registry     ${demo.registry.members?.length ?? 0} members, ${demo.registry.hospitals?.length ?? 0} hospitals from ${demo.source}`,
      // The keys stay in the file (0600): never on a terminal, in scrollback or a CI log.
      `API keys     ${keysFile} (readable by you only; operator:OPS-DEMO and hospital:<id> entries)`,
      `field key    ${stack.fieldKeyFile} (readable by you only: encrypts members' names and ID numbers; claims registry load --key-file)`,
      `try          curl -s -H "x-api-key: $(node -p 'require(require("path").resolve("${keysFile}"))["hospital:${firstHospital}"]')" ${stack.apiUrl}/claims/${firstHospital}/CLAIM-ID`,
      `national     ${stack.apiUrl}/fsi/api/rsfComIfsService/callService (docs/national-interface.md): catalogue ${catalogue.file.id} (${catalogue.size} codes);`,
      `             ${DEMO_FIXMEDINS_CODE}: x-api-key ${keys[`hospital:${DEMO_FIXMEDINS_CODE}`] ?? '?'}, or x-tif-paasid ${DEMO_FIXMEDINS_CODE} with token ${paasTokenOf(signingSecret, DEMO_FIXMEDINS_CODE)}`,
      '',
    ].join('\n'),
  );

  if (values.demo) {
    const started = Date.now();
    for (const { title, claim } of demo.claims) {
      const apiKey = keys[`hospital:${claim.hospital.id}`] ?? '';
      const posted = await fetch(`${stack.apiUrl}/claims`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
        body: JSON.stringify(claim),
      });
      if (posted.status !== 202) {
        process.stdout.write(`── ${title}\n   not accepted: ${posted.status} ${await posted.text()}\n`);
        continue;
      }
      let answer: { status: string; settlement?: SettlementJson; settledAt?: string; reversedAt?: string; error?: string; message?: string } = { status: 'queued' };
      await waitFor(async () => {
        const response = await fetch(`${stack.apiUrl}/claims/${encodeURIComponent(claim.hospital.id)}/${encodeURIComponent(claim.claimId)}`, {
          headers: { 'x-api-key': apiKey },
        });
        answer = (await response.json()) as typeof answer;
        return answer.status !== 'queued';
      }, 60_000, 50);
      process.stdout.write(
        `── ${title}\n${answer.settlement ? demoSlip(answer.settlement, answer.settledAt, claim, registry) : `   ${answer.status}: ${answer.error} ${answer.message}`}\n\n`,
      );
    }
    process.stdout.write(`demo: ${demo.claims.length} claims through the API in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }
  if (values.exit) {
    await stack.stop();
    return;
  }
  process.stdout.write('serving; Ctrl-C to stop\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`npm start: ${error instanceof LocalStackError ? error.message : ((error as Error).stack ?? String(error))}\n`);
  process.exit(1);
});
