/**
 * `npm run bench`: measures the engine, the command line, the cold start of the Lambda bundles and the
 * local pipeline on this machine, prices a million settled claims from what it measured, prints the
 * report and writes it to docs/benchmarks.md with the machine, the Node version, the load and the
 * command to reproduce it. Figures, not assertions: no benchmark ever fails a build.
 *
 * size: the report's one script, each section measured and printed in the order docs/benchmarks.md shows
 * it; the measurements themselves live in the modules it imports.
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { inpatientClaim } from './claims.js';
import { BARE, benchColdStart } from './coldstart.js';
import { ASSUMPTIONS, type Measured, PRICES, STORAGE_PRICES, scalePlan, storageCostPerMillion, throughputWithGroups } from './cost.js';
import { COST_TARGET_USD, costHeadlineRows, costScenarios, costSection } from './cost-report.js';
import { measureDoorWriteUnits } from './write-units.js';
import { stageConfig } from '../infra/config.js';
import { benchCorrections, correctionTable } from './corrections.js';
import { ENGINE_TARGETS, benchEngine, engineTargetRows } from './engine.js';
import { formatRate } from './measure.js';
import { benchNational, nationalReport } from './national.js';
import { benchPipeline } from './pipeline.js';
import { benchReplay } from './replay.js';
import { benchReplayAtLimit, limitSection, limitTargetRows } from './replay-limit.js';
import { benchStartup } from './startup.js';

const seconds = Number(process.env['BENCH_SECONDS'] ?? '2');
const pipelineClaims = Number(process.env['BENCH_PIPELINE_CLAIMS'] ?? '1000');

/** The targets the issue sets; each is reported met or not. */
const TARGETS = { coldStartRatio: 1.5, writeUnits: 4, usdPerMillion: COST_TARGET_USD };

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}

const load = (): string => loadavg().map((l) => l.toFixed(2)).join(', ');
const x = (ratio: number): string => `${ratio.toFixed(ratio < 10 ? 2 : 0)}×`;
const ms = (value: number): string => value.toFixed(1);
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KB`;
const usd = (value: number): string => `$${value.toFixed(value < 0.1 ? 3 : 2)}`;
const verdict = (met: boolean): string => (met ? '**met**' : '**not met**');
const span = ([a, b]: readonly [number, number]): string => (a === b ? `${a}` : `${a}–${b}`);
const step = (what: string): void => {
  process.stderr.write(`bench: ${what} (load ${load()})\n`);
};

async function main(): Promise<void> {
  const startedAt = new Date();
  const startLoad = load();
  const wall = performance.now();
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}/${process.arch}`;
  process.stderr.write(`bench: ${machine}; load average ${startLoad}\n`);

  step('engine and its floor');
  const engine = benchEngine([1, 20, 200], seconds);
  const engine20 = engine.find((row) => row.lines === 20) ?? engine[0];
  if (!engine20) throw new Error('no engine rows');
  const settleRatio = engine20.floor.perSecond / engine20.settlement.perSecond;
  const bothRatio = engine20.floorFromJson.perSecond / engine20.both.perSecond;

  step('corrections: the reversal of a first admission with 1, 10, 100 and 500 later claims');
  const corrections = benchCorrections();

  step('replay of 100,000 generated claims');
  const replay = benchReplay(100_000);

  step(`replay at the limit: ${Number(process.env['BENCH_REPLAY_CLAIMS'] ?? '1000000').toLocaleString('en-US')} generated claims on 1 and 2 workers`);
  const atLimit = benchReplayAtLimit();

  step('command start-up');
  const oneClaim = JSON.stringify(inpatientClaim(20));
  const startup = [benchStartup('claims --help', ['--help'], undefined), benchStartup('claims settle - (20-line claim)', ['settle', '-'], oneClaim)];

  step('cold start: cdk synth with bundling, then fresh Node processes');
  const cold = benchColdStart(15);
  const bare = cold.rows.find((row) => row.name === BARE);
  const settleBundle = cold.rows.find((row) => row.name === 'settle');
  if (!bare || !settleBundle) throw new Error('cold start: missing the settle or the bare bundle');
  const coldRatio = settleBundle.initMs / bare.initMs;
  const intakeBundle = cold.rows.find((row) => row.name === 'intake');

  step(`local pipeline: ${pipelineClaims} claims end to end, DynamoDB Local raw, handler timings`);
  const pipeline = await benchPipeline({ claims: pipelineClaims, members: 100, concurrency: 4, rawInFlight: [4, 16, 40], rawSeconds: 4, handlerTimings: true });
  const handlers = pipeline.handlers;
  if (!handlers) throw new Error('no handler timings');
  const rawTxOnly = pipeline.raw.filter((r) => !r.withRead);
  const rawBest = Math.max(...rawTxOnly.map((r) => r.perSecond));
  const rawWithRead = pipeline.raw.find((r) => r.withRead);

  // Write units all in, from item sizes (bench/write-units.ts): the model follows whatever the stored records cost.
  const doorUnits = measureDoorWriteUnits();
  const { doors } = handlers;
  const measured: Measured = {
    writeUnitsPerSettled: doorUnits.settled[1],
    writeUnitsPerDuplicate: doorUnits.duplicate,
    settleMsPerInvocation: handlers.settle.meanMs,
    settleLogBytesPerClaim: handlers.settle.logBytesPerRecord,
    intakeMsPerRequest: handlers.intake.meanMs,
    intakeLogBytesPerRequest: handlers.intake.logBytesPerRecord,
    resultReadMs: doors.resultRead.meanMs,
    resultReadLogBytes: doors.resultRead.logBytesPerRecord,
    batchMsPerRequest: doors.batch.meanMs,
    batchLogBytesPerRequest: doors.batch.logBytesPerRecord * doors.batch.recordsPerInvocation,
    feedMsPerPage: doors.feed.meanMs,
    feedLogBytesPerPage: doors.feed.logBytesPerRecord * doors.feed.recordsPerInvocation,
    // A 20-line inpatient claim as queued, with its message attributes (hospital id, claim id; the group and deduplication ids).
    claimMessageBytes: Buffer.byteLength(JSON.stringify(inpatientClaim(20))) + 200,
    feedIndexEntryBytes: pipeline.indexBytes.mean,
    settlementJsonBytes: handlers.settlementJsonBytes,
  };
  const costs = costScenarios(measured, ASSUMPTIONS);
  const ours = costs.batchOnDemand;
  const alternative = costs.alternative;
  // Keeping the claims: prod's backups (infra/config.ts) over the longest retention of a copy.
  const prodBackups = stageConfig('prod').backups;
  const kept = storageCostPerMillion(
    {
      settlementBytes: pipeline.settlementBytes.mean,
      totalsBytes: pipeline.totalsBytes.mean,
      indexEntryBytes: [pipeline.indexBytes.mean, pipeline.indexBytes.mean],
      claimsPerTotalsItem: 1,
    },
    { horizonDays: prodBackups?.yearlyDays ?? 3650, pitr: true, backups: prodBackups },
  );
  // Sensitivity: the intake's local SendMessage goes to fauxqs on 127.0.0.1; over the network to SQS FIFO it takes longer.
  const slowSettleMs = Math.max(measured.settleMsPerInvocation, 100);
  const slow = costScenarios(
    { ...measured, intakeMsPerRequest: 30, resultReadMs: 30, batchMsPerRequest: 5 * ASSUMPTIONS.claimsPerBatch, feedMsPerPage: 50, settleMsPerInvocation: slowSettleMs },
    ASSUMPTIONS,
  );
  const smallBatches = costScenarios(measured, { ...ASSUMPTIONS, recordsPerInvocation: 1 });

  const plan = scalePlan({
    claimsPerDay: 2_000_000,
    peakShare: 0.5,
    peakHours: 4,
    burst: 2,
    settleMsPerInvocation: Math.max(measured.settleMsPerInvocation, 100),
    recordsPerInvocation: 10,
    writeUnitsPerSettled: measured.writeUnitsPerSettled,
    readUnitsPerClaim: ASSUMPTIONS.settleReadUnits + ASSUMPTIONS.intakeReadUnits + ASSUMPTIONS.resultReadUnits,
    settleConcurrency: 20,
    intakeConcurrency: 100,
    intakeMsPerRequest: Math.max(measured.intakeMsPerRequest, 30),
    apiRateLimit: 500,
  });
  const scaleMs = Math.max(measured.settleMsPerInvocation, 100);
  step('national gateway: 2303 and 2304 over HTTP on the local stack');
  const national = await benchNational(200, 40);
  const endLoad = load();
  const totalSeconds = (performance.now() - wall) / 1000;

  // ---------- the report ----------
  const headline = table(
    ['figure', 'measured', 'target', ''],
    [
      ...engineTargetRows(engine20),
      ...limitTargetRows(atLimit),
      ['load average (1, 5, 15 min) at the start → at the end', `${startLoad} → ${endLoad}`, '—', ''],
      ['settle bundle import + init ÷ bare clients', `${x(coldRatio)} (${ms(settleBundle.initMs)} vs ${ms(bare.initMs)} ms)`, `within ${TARGETS.coldStartRatio}×`, verdict(coldRatio <= TARGETS.coldStartRatio)],
      ...(intakeBundle
        ? [['beside it: intake (and the national gateway, which the intake bundle serves) ÷ bare', `${x(intakeBundle.initMs / bare.initMs)} (${ms(intakeBundle.initMs)} ms)`, '—', '']]
        : []),
      ['pipeline end to end ÷ DynamoDB Local raw transactions', `${x(pipeline.perSecond / rawBest)} (${pipeline.perSecond.toFixed(0)} vs ${rawBest.toFixed(0)} claims/s)`, '—', ''],
      [
        'write units per settled claim, all in / per duplicate (bench/write-units.ts)',
        `${span(doorUnits.settled)} / ${doorUnits.duplicate}`,
        `≤ ${TARGETS.writeUnits} / 0`,
        verdict(doorUnits.settled[1] <= TARGETS.writeUnits && doorUnits.duplicate === 0),
      ],
      ...costHeadlineRows(costs, ASSUMPTIONS.provisionedUtilisation),
      [`US$ per million claims kept ${kept.horizonYears.toFixed(0)} years: storage, PITR, backups (prod)`, `${usd(kept.totalUsd)} (${usd(kept.perYearUsd)} a year)`, '—', ''],
    ],
  );

  const engineTable = table(
    ['inpatient claim', 'validation (claims/s)', 'settlement (claims/s)', 'floor of settlement (claims/s)', 'settlement ÷ floor', 'validation + settlement (claims/s)', 'floor from JSON (claims/s)', 'both ÷ floor', 'settlement µs/claim'],
    engine.map((row) => [
      `${row.lines} line${row.lines === 1 ? '' : 's'}`,
      formatRate(row.validation.perSecond),
      formatRate(row.settlement.perSecond),
      formatRate(row.floor.perSecond),
      x(row.floor.perSecond / row.settlement.perSecond),
      formatRate(row.both.perSecond),
      formatRate(row.floorFromJson.perSecond),
      x(row.floorFromJson.perSecond / row.both.perSecond),
      row.settlement.microsEach.toFixed(1),
    ]),
  );
  const replayTable = table(
    ['claims', 'settled', 'rejected', 'wall time (s)', 'claims/s'],
    [[formatRate(replay.claims), formatRate(replay.settled), formatRate(replay.rejected), replay.seconds.toFixed(2), formatRate(replay.perSecond)]],
  );
  const correctionsTable = table(['later claims re-settled', 'new versions', 'time (ms)', 'write units (modelled)', 'transactions of ≤ 100 items'], correctionTable(corrections));
  const startupTable = table(['command', 'median wall time (ms)', 'runs'], startup.map((row) => [row.command, row.medianMs.toFixed(1), String(row.runs)]));
  const coldTable = table(
    ['bundle', 'index.mjs', 'source map', 'import (ms)', 'import + first invocation (ms)', '÷ bare', 'its CPU time (ms, ÷ bare)', 'same, no --enable-source-maps (ms)', 'whole process (ms)'],
    cold.rows.map((row) => [
      row.name,
      kb(row.bytes),
      kb(row.mapBytes),
      ms(row.importMs),
      ms(row.initMs),
      x(row.initMs / bare.initMs),
      `${ms(row.initCpuMs)} (${x(row.initCpuMs / bare.initCpuMs)})`,
      ms(row.initNoMapsMs),
      ms(row.processMs),
    ]),
  );
  const pipelineTable = table(
    ['measurement', 'in flight', 'claims or transactions /s', 'median latency (ms)'],
    [
      [`pipeline end to end: ${pipeline.claims} claims, ${pipeline.members} members, ${pipeline.queue}, ${pipeline.concurrency} settle pollers × batch 10`, '16 POSTs', pipeline.perSecond.toFixed(1), '—'],
      ['of which the HTTP intake alone (POSTs accepted)', '16 POSTs', (pipeline.claims / pipeline.submitSeconds).toFixed(1), '—'],
      ...pipeline.raw.map((r) => [
        r.withRead ? 'DynamoDB Local raw: BatchGetItem (4 keys, consistent) + the transaction' : 'DynamoDB Local raw: the 2-item TransactWriteItems alone',
        String(r.inFlight),
        r.perSecond.toFixed(1),
        ms(r.medianMs),
      ]),
    ],
  );
  const handlerTable = table(
    ['handler (in process, warm, local stack)', 'invocations', 'records each', 'median (ms)', 'mean (ms)', 'log bytes per record'],
    [
      ['intake: POST /claims', String(handlers.intake.invocations), '1', ms(handlers.intake.medianMs), ms(handlers.intake.meanMs), handlers.intake.logBytesPerRecord.toFixed(0)],
      ['settle: 10 new claims of 10 members', String(handlers.settle.invocations), '10', ms(handlers.settle.medianMs), ms(handlers.settle.meanMs), handlers.settle.logBytesPerRecord.toFixed(0)],
      ['settle: the same 10 again (duplicates)', String(handlers.settleDuplicates.invocations), '10', ms(handlers.settleDuplicates.medianMs), ms(handlers.settleDuplicates.meanMs), handlers.settleDuplicates.logBytesPerRecord.toFixed(0)],
      ['intake: GET /claims/{h}/{c} of a settled claim', String(doors.resultRead.invocations), '1', ms(doors.resultRead.medianMs), ms(doors.resultRead.meanMs), doors.resultRead.logBytesPerRecord.toFixed(0)],
      [`intake: POST /claims:batch`, String(doors.batch.invocations), String(doors.batch.recordsPerInvocation), ms(doors.batch.medianMs), ms(doors.batch.meanMs), doors.batch.logBytesPerRecord.toFixed(1)],
      ['intake: a feed page (GET /hospitals/{id}/settlements)', String(doors.feed.invocations), String(doors.feed.recordsPerInvocation), ms(doors.feed.medianMs), ms(doors.feed.meanMs), doors.feed.logBytesPerRecord.toFixed(1)],
    ],
  );
  const f = (r: { min: number; mean: number; max: number }): string => `${r.min}–${r.max} B (mean ${r.mean.toFixed(0)})`;
  const writeTable = table(
    ['operation', 'items written (measured sizes)', 'write units'],
    [
      [`settled claim, all in (bench/write-units.ts, ${doorUnits.claims} generated claims)`, 'the accepted record and its acceptance-index entry at the door, then the settle transaction and its index entries', `**${span(doorUnits.settled)}**`],
      ['of which the settle transaction of this run (stored items)', `settlement put ${f(pipeline.settlementBytes)} → 2; totals put ${f(pipeline.totalsBytes)} → 2; two keys-only index entries ${f(pipeline.indexBytes)} → 1 + 1`, `**${pipeline.unitsPerSettled.min === pipeline.unitsPerSettled.max ? pipeline.unitsPerSettled.max : `${pipeline.unitsPerSettled.min}–${pipeline.unitsPerSettled.max}`}**`],
      ['duplicate (resend, redelivery)', 'none: the consistent BatchGetItem finds the settlement first (it costs its 4 read units)', '**0**'],
      ['reversal', `settlement update ${pipeline.reversal.settlementBytes} B → 2; totals put ${pipeline.reversal.totalsBytes} B → 2; index keys unchanged`, `**${pipeline.reversal.units}**`],
      ['rejected claim, all in (bench/write-units.ts)', 'as settled, without the totals', span(doorUnits.rejected)],
      ['bulk line refused at admission', 'one standard put of its stored failure', String(doorUnits.bulkRefusedLine)],
    ],
  );
  const priceList = table(
    ['price', 'us-east-1', 'source', 'as of'],
    [...Object.values(PRICES), ...Object.values(STORAGE_PRICES)].map((p) => [p.unit, p.usd >= 0.01 ? `$${p.usd}` : `$${(p.usd * 1e6).toFixed(4).replace(/0+$/, '').replace(/\.$/, '')} per million`, p.source, p.asOf]),
  );
  const groupsTable = table(
    ['active message groups (members with a claim waiting)', '1', '10', '50', '100', '200', '1,000'],
    [['settle throughput (claims/s)', ...[1, 10, 50, 100, 200, 1000].map((g) => throughputWithGroups(g, { settleMsPerInvocation: scaleMs, recordsPerInvocation: 10, settleConcurrency: 20 }).toFixed(0))]],
  );

  const report = [
    '# Benchmarks',
    '',
    `Measured by \`npm run bench\` on ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC: ${machine}.`,
    `Load average (1, 5, 15 min) at the start: ${startLoad}; at the end: ${endLoad} (the end includes this run's own`,
    `DynamoDB Local, fauxqs and pipeline). ${
      Number(startLoad.split(',')[0]) < 0.5
        ? 'The machine was quiet when the run started, but it is shared with other jobs:'
        : 'The machine is shared with other jobs and was busy when the run started:'
    } on 2 cores, rates and ratios move`,
    `by tens of per cent from run to run. The whole run took ${totalSeconds.toFixed(0)} s.`,
    '',
    'Reproduce: `npm ci && npm run bench` (Node 24 comes with the dev dependencies; the local pipeline needs',
    'Java 17+ for DynamoDB Local). `BENCH_SECONDS` sets each engine window (default 2), `BENCH_REPLAY_CLAIMS`',
    'the claims of the replay at the limit (default 1,000,000; about two minutes per worker count on a quiet machine),',
    '`BENCH_PIPELINE_CLAIMS` the end-to-end claim count (default 1000). No benchmark is a timed test:',
    '`npm test` never fails on speed (`test/bench/` checks only the cost arithmetic and the floor\'s amounts).',
    '',
    '## Headline',
    '',
    headline,
    '',
    `Load average (1, 5, 15 min) of this run: ${startLoad} at the start, ${endLoad} at the end.`,
    '',
    '## Engine throughput, beside its floor',
    '',
    'One core (the main thread); each rate is the median of batches over a',
    `${seconds}-second window after a warm-up. Validation is JSON text → zod contract → Claim; settlement`,
    'is Claim → Settlement with its trace; "both" is what `claims settle --lines` does per line.',
    'The **floor** (`bench/floor.ts`) is the same split of the same claim — per-line inclusion ratio,',
    'deductible (halved for the repeat admission), 70% ratio, 70,000 cap, catastrophic 75% above 10,000,',
    "the patient's remainder — in integer fen with plain numbers, no validation, no policy lookup, no",
    'trace. Before timing, the run checks that the floor gives the engine\'s amounts for each claim.',
    '"Floor from JSON" adds `JSON.parse` and the amount strings → fen: the floor of validation + settlement.',
    '',
    engineTable,
    '',
    `Settlement alone is **${x(settleRatio)}** the floor on the 20-line claim (target ${ENGINE_TARGETS.settleRatio}×: ${verdict(settleRatio <= ENGINE_TARGETS.settleRatio)}). The floor`,
    'is a loop over integers; a settlement also resolves the policy for the region and discharge date, checks',
    'eligibility and the care path, checks its own invariants and records an auditable trace (14 entries for',
    'this claim, each with its clause and reading). The trace is recorded as data, each step\'s numbers and clause',
    '(`shared/engine/trace.ts`); its English and Chinese sentences are rendered from the message catalogue',
    '(`messages.ts`) only when the settlement is serialized or shown, so settlement alone does not pay for them.',
    'A CPU profile (`node --cpu-prof`, settling the 20-line claim for 4 s, taken on 2026-12-02; not regenerated',
    'by this command) gives, of all samples: the scope step 31% (the per-line category split and its tallies),',
    'the rest of `settle` 14% (policy lookup, eligibility, the settlement object), the ordinary split 8%, the',
    'deductible relief 5%, the invariant checks 5%, ISO date parsing 4%, the care path 4%, garbage collection 9%.',
    'The figure that matters at discharge is validation + settlement from the HIS\'s JSON, where the zod',
    'validation of the claim contract takes most of the time:',
    `**${x(bothRatio)}** the floor from JSON (target ${ENGINE_TARGETS.bothRatio}×: ${verdict(bothRatio <= ENGINE_TARGETS.bothRatio)}), ${formatRate(engine20.both.perSecond)} claims a second on one core.`,
    '',
    '## Replay (the embedded main job)',
    '',
    '`claims replay FILE` in a fresh process over 100,000 generated claims (`generateClaims`, seed 2018):',
    'streaming the file, validating, settling with carried year-to-date totals, writing JSON Lines.',
    '',
    replayTable,
    '',
    ...limitSection(atLimit),
    '',
    '## Corrections',
    '',
    'The reversal of a member\'s first admission of 2018 with N later admissions (bench/corrections.ts): the',
    'member-year ledger re-settles every later claim in order (the engine on each); the claims whose amounts',
    'change get a new version. Time is the ledger\'s, fastest of 5; write units are modelled from the real',
    'items: a new version and its head item per changed claim (2 transactional puts) and the totals once.',
    '',
    correctionsTable,
    '',
    '## Command start-up',
    '',
    'A fresh Node process per run, as a HIS script calling the command would see it.',
    '',
    startupTable,
    '',
    '## Cold start of the Lambda bundles',
    '',
    `The bundles are those of an in-process \`cdk synth\` of the prod stack (the stack's own \`NodejsFunction\`s, the`,
    `local esbuild; ${cold.synthSeconds.toFixed(1)} s), plus \`bench/bare/handler.ts\` — only \`new DynamoDBClient({})\` and`,
    "`new SQSClient({})` at module scope — built with the same exported `HANDLER_BUNDLING` options. Each is",
    `imported in ${cold.runs} fresh Node ${process.version} processes (interleaved, median), and its handler invoked once with`,
    'an event that needs no network (an empty SQS batch, a request without a key): the handlers build their',
    'clients, policy book and logger lazily on that first call, so "import + first invocation" is the part of',
    "Lambda's init the project controls. Lambda's runtime start and code download come on top, alike for all.",
    'The stack sets `NODE_OPTIONS=--enable-source-maps`; the column without it shows what the source maps cost.',
    '',
    coldTable,
    '',
    `The settle bundle's init is **${x(coldRatio)}** the bare clients' (target ${TARGETS.coldStartRatio}×): ${verdict(coldRatio <= TARGETS.coldStartRatio)}. Of its ${ms(settleBundle.initMs)} ms the import`,
    `takes ${ms(settleBundle.importMs)} (bare: ${ms(bare.importMs)}) and the first invocation ${ms(settleBundle.initMs - settleBundle.importMs)} (building the policy book from the five packs, the`,
    `clients, logger and metrics); without source maps the ratio is ${x(settleBundle.initNoMapsMs / bare.initNoMapsMs)}. The import is`,
    `what the bundle carries beyond the clients (${kb(settleBundle.bytes)} against ${kb(bare.bytes)}): zod with all its locales (about`,
    "376 KB by esbuild's metafile, from the claim contract's namespace import), the SDK's shared core, decimal.js,",
    'the policy packs, Powertools logger and metrics, middy. Narrowing the zod import and building the policy book at bundle time are the',
    `places to look; they lie outside this issue's engine hot path and were not changed. The authorizer, which`,
    `imports no contract, initialises in ${x(((cold.rows.find((r) => r.name === 'authorizer') ?? bare).initMs) / bare.initMs)} the bare clients' time.`,
    '',
    '## Pipeline, local',
    '',
    'End to end through the local stack (HTTP intake → fauxqs FIFO queue → poller → settle handler →',
    'DynamoDB Local), from the first POST to an empty queue; then, in the same run and against the same',
    'DynamoDB Local, the raw rate of the same transaction with no pipeline around it (`bench/pipeline-raw.ts`:',
    'settlement put conditioned on `attribute_not_exists(pk)` + totals put conditioned on the version, items',
    'copied from stored ones, each lane its own member), alone and after the settle handler\'s 4-key',
    'consistent BatchGetItem.',
    '',
    pipelineTable,
    '',
    `The pipeline reaches **${x(pipeline.perSecond / rawBest)}** of DynamoDB Local's best raw transaction rate${rawWithRead ? ` (${x(pipeline.perSecond / rawWithRead.perSecond)} of read + transaction)` : ''}. The HTTP`,
    `intake took the ${pipeline.claims} POSTs at ${(pipeline.claims / pipeline.submitSeconds).toFixed(0)} a second (16 in flight)${
      pipeline.claims / pipeline.submitSeconds < 1.25 * pipeline.perSecond
        ? ': the end-to-end rate follows the intake, not DynamoDB'
        : ', faster than the claims settled: the settle side (poller, handler, DynamoDB Local) is the bound'
    }. Locally one Node process runs`,
    'the HTTP intake (a member read and a SendMessage per claim), the poller and the settle handler, on the',
    "same two cores as DynamoDB Local's JVM and fauxqs. The engine is tens of µs per claim. On AWS the intake",
    'and the settle function scale out with Lambda, and this local bound does not exist.',
    '',
    'Handler timings for the cost model (the deployed handler code called in process against the local',
    'stack, warm, at the deployed log level INFO with the settle metrics flushed each invocation):',
    '',
    handlerTable,
    '',
    '## National gateway, local',
    '',
    'The national interface (docs/national-interface.md) over HTTP on the local stack, one request at a time:',
    '2303 pre-settlement of a 20-line inpatient stay (the visit, member, hospital and totals read, the engine',
    'run, nothing written) and 2304 settlement from request to answer (the claim queued, settled by the',
    'settle handler through fauxqs, the settlement read back within the bounded wait).',
    '',
    nationalReport(national),
    '',
    '## Write cost',
    '',
    'DynamoDB bills a transactional write 2 units per item per started KB, and each index entry written',
    "1 unit per KB; sizes are computed from the stored items by DynamoDB's item-size rules",
    '(`functions/storage/item-size.ts`), since DynamoDB Local\'s `ReturnConsumedCapacity` reports 2 whatever the',
    `size. Items of this run (${pipeline.stored} settlements):`,
    '',
    writeTable,
    '',
    `A separate idempotency record (the common design: Powertools idempotency + the same transaction) adds`,
    `an INPROGRESS put (1) and a COMPLETED update holding the result (${handlers.settlementJsonBytes} B of settlement JSON →`,
    `${alternative.writeUnitsPerSettled - measured.writeUnitsPerSettled - 1}): **${alternative.writeUnitsPerSettled} units per settled claim, 1 per duplicate** (a failed conditional put is billed).`,
    `If its record handler returned nothing to keep, the update would cost 1 and the total ${measured.writeUnitsPerSettled + 2}; a duplicate would then`,
    'get no stored answer to replay.',
    '',
    ...costSection(costs, measured, ASSUMPTIONS, { slow, smallBatches, settleMs: slowSettleMs }),
    `## Keeping a million claims: storage and backups over ${kept.horizonYears.toFixed(0)} years`,
    '',
    "Settling a claim is paid once; keeping it is paid every month it stays. From this run's measured item sizes",
    `(settlement ${pipeline.settlementBytes.mean.toFixed(0)} B, totals ${pipeline.totalsBytes.mean.toFixed(0)} B counted once per claim as an upper bound, two keys-only index`,
    `entries of ${pipeline.indexBytes.mean.toFixed(0)} B; DynamoDB adds 100 B per item and per entry) and prod's retention in \`infra/config.ts\`:`,
    `point-in-time recovery (35 days, always on), a monthly copy kept ${prodBackups?.monthlyDays ?? 0} days and a yearly copy kept ${prodBackups?.yearlyDays ?? 0} days,`,
    `each moved to cold storage after ${prodBackups?.coldAfterDays ?? 0} days. Every claim stays in the table the whole ${kept.horizonYears.toFixed(0)} years, so it is in`,
    'every copy taken meanwhile; a DynamoDB copy is a full copy of the table, without its global secondary indexes.',
    '',
    table(
      ['item', 'basis', `US$ per million claims over ${kept.horizonYears.toFixed(0)} years`],
      [...kept.lines.map((l) => [l.item, l.basis, usd(l.usd)]), ['**total**', '', `**${usd(kept.totalUsd)}**`], ['per year kept', '', usd(kept.perYearUsd)]],
    ),
    '',
    'Prices used:',
    '',
    priceList,
    '',
    '## Scale on paper',
    '',
    `Settle throughput grows with the number of active FIFO message groups (one group per member: a member's`,
    'claims settle in order, one at a time), up to the settle maximum concurrency (prod: 20) × 10 records',
    `per invocation in flight. With ${scaleMs.toFixed(0)} ms per invocation (this run's ${ms(measured.settleMsPerInvocation)} ms, at least 100 ms for a`,
    'network round trip to DynamoDB):',
    '',
    groupsTable,
    '',
    'Where the limits are:',
    '',
    "- **A member's totals item**: every settled claim writes it (2 units, transactional). DynamoDB allows",
    '  1,000 write units a second per partition, i.e. 500 settlements a second of one member — never reached,',
    "  because FIFO settles a member's claims one after another (a few a second at most, and a member has a",
    '  handful of claims a year). Version conflicts only arise from a reversal racing a settlement; they are',
    '  retried.',
    '- **The `byHospitalDate` index**: one partition per hospital, 1 unit per settlement: a single hospital',
    '  could settle up to 1,000 claims a second before its index partition throttles (which back-pressures',
    '  the table writes). The largest hospital of a province takes a few per cent of its claims.',
    '- **The table**: a new on-demand table serves 4,000 write and 12,000 read units a second at once and',
    '  adapts to twice its previous peak; the account default is 40,000 units a second per table.',
    '- **SQS FIFO**: in high-throughput mode (the stack sets per-message-group throughput and deduplication),',
    '  us-east-1 allows up to 70,000 transactions a second per API action (SQS quotas as of 2024); plain FIFO',
    '  would allow 300 a second per action (3,000 messages with batching).',
    `- **Lambda**: settle maximum concurrency 20 (prod) → ${plan.settleCapacity.toFixed(0)} claims a second with full batches; intake and`,
    '  authorizer reserve 100 each; the regional default is 1,000 concurrent executions.',
    '- **API Gateway**: the prod stage throttles at 500 requests a second (burst 1,000), each hospital at 50',
    '  (burst 100) with a daily quota of 500,000; the regional account limit is 10,000 a second.',
    '',
    "A province's peak: **2 million claims a day, half of them in four hours** →",
    `${plan.peakMeanPerSecond.toFixed(1)} claims a second on average in the window; allow ×2 for bursts: **${plan.peakBurstPerSecond.toFixed(0)} claims a second**. That needs:`,
    '',
    table(
      ['resource', 'needed at the burst', 'available (prod stack / AWS)', 'headroom'],
      [
        ['settle records in flight (message groups)', String(plan.groupsNeeded), '200 (20 invocations × 10)', x(200 / plan.groupsNeeded)],
        ['settle invocations', String(plan.settleInvocationsNeeded), '20 (maximum concurrency)', x(20 / plan.settleInvocationsNeeded)],
        ['API requests/s (POST + one result read)', plan.apiRequestsPerSecond.toFixed(0), '500 (stage throttle)', x(500 / plan.apiRequestsPerSecond)],
        ['intake concurrency at 30 ms a request', String(plan.intakeConcurrencyNeeded), '880 (unreserved at the default 1,000 quota, prod reserving 20 + 100)', x(880 / plan.intakeConcurrencyNeeded)],
        ['DynamoDB write units/s', plan.writeUnitsPerSecond.toFixed(0), '4,000 (new on-demand table)', x(4000 / plan.writeUnitsPerSecond)],
        ['DynamoDB read units/s', plan.readUnitsPerSecond.toFixed(0), '12,000 (new on-demand table)', x(12000 / plan.readUnitsPerSecond)],
        ['SQS FIFO sends/s', plan.peakBurstPerSecond.toFixed(0), '70,000 (high throughput) / 300 (plain)', x(300 / plan.peakBurstPerSecond) + ' of plain'],
      ],
    ),
    '',
    `The first limit a province would meet is the API stage throttle (500 requests a second = 250 claims a`,
    'second with one result read each), a setting in `infra/config.ts`; then the settle concurrency (20). Both are',
    `configuration, not design. A day of 2 million claims costs about ${usd(2 * ours.totalUsd)} all in at the batch door (${usd(2 * costs.singleOnDemand.totalUsd)} at the single-claim door) at the prices above.`,
    '',
  ].join('\n');
  process.stdout.write(`${report}\n`);
  // The targets once more, last, where a terminal shows them.
  process.stdout.write(`\nTargets (load average at the start ${startLoad}, at the end ${endLoad}):\n${headline}\n`);
  writeFileSync('docs/benchmarks.md', report);
  process.stderr.write(`bench: wrote docs/benchmarks.md in ${totalSeconds.toFixed(0)} s (load ${endLoad})\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
