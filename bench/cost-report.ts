/**
 * The cost section of docs/benchmarks.md and its headline rows, from the models of bench/cost.ts:
 * both doors on both capacity modes side by side, the alternative design beside the single door,
 * the sensitivities and every assumption in words.
 */
import { type Assumptions, type CostModel, type Measured, costPerMillion } from './cost.js';

export const COST_TARGET_USD = 3;

/** The four scenarios the report prices, and the alternative design at the single door. */
export interface CostScenarios {
  readonly batchOnDemand: CostModel;
  readonly batchProvisioned: CostModel;
  readonly singleOnDemand: CostModel;
  readonly singleProvisioned: CostModel;
  readonly alternative: CostModel;
}

export function costScenarios(measured: Measured, assumptions: Assumptions): CostScenarios {
  return {
    batchOnDemand: costPerMillion(measured, { door: 'batch', capacity: 'on-demand' }, assumptions),
    batchProvisioned: costPerMillion(measured, { door: 'batch', capacity: 'provisioned' }, assumptions),
    singleOnDemand: costPerMillion(measured, { door: 'single', capacity: 'on-demand' }, assumptions),
    singleProvisioned: costPerMillion(measured, { door: 'single', capacity: 'provisioned' }, assumptions),
    alternative: costPerMillion(measured, { door: 'single', capacity: 'on-demand', design: 'powertools' }, assumptions),
  };
}

const usd = (value: number): string => `$${value.toFixed(value < 0.1 ? 3 : 2)}`;
const verdict = (met: boolean): string => (met ? '**met**' : '**not met**');

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}

/** The headline's cost rows: the batch door on demand against the target, the rest beside it. */
export function costHeadlineRows(s: CostScenarios, utilisation: number): string[][] {
  return [
    ['US$ per million settled claims, all in: batch door (500 a request + the feed), on-demand', usd(s.batchOnDemand.totalUsd), `< $${COST_TARGET_USD}`, verdict(s.batchOnDemand.totalUsd < COST_TARGET_USD)],
    ['same, single-claim door (POST + one GET per claim), on-demand', usd(s.singleOnDemand.totalUsd), `< $${COST_TARGET_USD}`, verdict(s.singleOnDemand.totalUsd < COST_TARGET_USD)],
    [`same on provisioned capacity (${(utilisation * 100).toFixed(0)}% utilisation): batch / single door`, `${usd(s.batchProvisioned.totalUsd)} / ${usd(s.singleProvisioned.totalUsd)}`, '—', ''],
    ['same, separate idempotency record design (single door, on-demand)', usd(s.alternative.totalUsd), '—', ''],
  ];
}

function costTable(s: CostScenarios): string {
  const at = (model: CostModel, i: number): string => usd(model.lines[i]?.usd ?? 0);
  return table(
    ['item', 'batch door: basis', 'batch, on-demand', 'batch, provisioned', 'single door: basis', 'single, on-demand', 'single, provisioned'],
    [
      ...s.batchOnDemand.lines.map((line, i) => [
        line.item + (line.api ? ' (API front door)' : ''),
        line.basis,
        at(s.batchOnDemand, i),
        at(s.batchProvisioned, i),
        s.singleOnDemand.lines[i]?.basis ?? '',
        at(s.singleOnDemand, i),
        at(s.singleProvisioned, i),
      ]),
      ['**total without API Gateway and WAF**', '', `**${usd(s.batchOnDemand.withoutApiUsd)}**`, `**${usd(s.batchProvisioned.withoutApiUsd)}**`, '', `**${usd(s.singleOnDemand.withoutApiUsd)}**`, `**${usd(s.singleProvisioned.withoutApiUsd)}**`],
      ['**total all in**', '', `**${usd(s.batchOnDemand.totalUsd)}**`, `**${usd(s.batchProvisioned.totalUsd)}**`, '', `**${usd(s.singleOnDemand.totalUsd)}**`, `**${usd(s.singleProvisioned.totalUsd)}**`],
    ],
  );
}

/** The "Price per million settled claims" section. */
export function costSection(s: CostScenarios, measured: Measured, a: Assumptions, sensitivity: { slow: CostScenarios; smallBatches: CostScenarios; settleMs: number }): string[] {
  const item = (model: CostModel, name: string): number => model.lines.find((l) => l.item === name)?.usd ?? 0;
  const b = s.batchOnDemand;
  // What the batch door would cost at the write-unit target, and with the settle side's reads halved besides.
  const atFour = costScenarios({ ...measured, writeUnitsPerSettled: 4 }, a);
  const fewerReads = costScenarios({ ...measured, writeUnitsPerSettled: 4 }, { ...a, settleReadUnits: a.settleReadUnits / 2 });
  return [
    '## Price per million settled claims',
    '',
    "From this run's measured write units (`bench/write-units.ts`: the accepted record at the door, the settlement,",
    'the totals and the index entries, from item sizes), handler durations and log bytes, and AWS\'s published us-east-1',
    'list prices. **The prices were written into `bench/cost.ts` by hand from the AWS pricing pages as of the',
    'dates shown, not fetched (the build machine has no network): check them before quoting the totals.** Arm64 Lambda,',
    'first pricing tiers, no free tier. The **single-claim door** is `POST /claims` and one `GET /claims/{h}/{c}` per claim;',
    `the **batch door** is \`POST /claims:batch\` of ${a.claimsPerBatch} claims and the settlement feed at ${a.feedPageSize} settlements a page instead of`,
    `one GET per claim. **Provisioned** prices DynamoDB by the unit-hour at ${(a.provisionedUtilisation * 100).toFixed(0)}% average utilisation (auto scaling at a 70%`,
    'target, less the hours it lags the daily curve and the night it cannot scale below its minimum).',
    '',
    costTable(s),
    '',
    `Against the target (< $${COST_TARGET_USD} all in at the batch door, on-demand): ${verdict(b.totalUsd < COST_TARGET_USD)}, ${usd(b.totalUsd)}. At the batch door the front door`,
    `(API Gateway and WAF) is ${usd(b.totalUsd - b.withoutApiUsd)} a million claims (${(1 / a.claimsPerBatch + 1 / a.feedPageSize).toFixed(3)} requests a claim instead of ${1 + a.resultReadsPerClaim}); DynamoDB writes at`,
    `${measured.writeUnitsPerSettled} units a claim are ${usd(item(b, 'DynamoDB writes'))} of it, reads ${usd(item(b, 'DynamoDB reads'))}. The single-claim door costs`,
    `${usd(s.singleOnDemand.totalUsd)}: its two API requests a claim alone are ${usd(s.singleOnDemand.totalUsd - s.singleOnDemand.withoutApiUsd)}.`,
    `The separate-idempotency-record design would cost ${usd(s.alternative.totalUsd)} at the single door (${s.alternative.writeUnitsPerSettled} write units a claim, 1 a duplicate).`,
    '',
    `What moves it: at 4 write units a settled claim the batch door would cost ${usd(atFour.batchOnDemand.totalUsd)} on-demand`,
    `(${usd(atFour.batchProvisioned.totalUsd)} provisioned); with the settle side's ${a.settleReadUnits} consistent read units a claim halved besides (member and`,
    `hospital from a cache), ${usd(fewerReads.batchOnDemand.totalUsd)}. Each write unit is $0.625 a million claims on-demand, each read unit $0.125.`,
    '',
    `Sensitivity: locally DynamoDB Local and fauxqs answer on 127.0.0.1; at 30 ms per single-door request, 5 ms per`,
    `claim of a batch, 50 ms per feed page and ${sensitivity.settleMs.toFixed(0)} ms per settle invocation the batch door costs ${usd(sensitivity.slow.batchOnDemand.totalUsd)} and the`,
    `single door ${usd(sensitivity.slow.singleOnDemand.totalUsd)} (on-demand). At low traffic the event source delivers batches of one:`,
    `${usd(sensitivity.smallBatches.batchOnDemand.totalUsd)} at the batch door, ${usd(sensitivity.smallBatches.singleOnDemand.totalUsd)} at the single door.`,
    '',
    'Assumptions, each a parameter of `bench/cost.ts`:',
    '',
    `- Lambda: ${a.settleMemoryMb} MB settle and intake, ${a.authorizerMemoryMb} MB authorizer (the stack's), arm64; durations are the in-process`,
    '  handler timings above (mean wall time per invocation, billed per ms); a batch request and a feed page are',
    `  shared by their ${a.claimsPerBatch} and ${a.feedPageSize} claims. The authorizer's answer is cached 5 minutes per key: the single door's`,
    `  requests come seconds apart and never miss it (${a.authorizerPerRequest.single} per request); every batch request and feed page is counted as a`,
    `  miss (${a.authorizerPerRequest.batch}, ${a.authorizerMs} ms). Lambda init is not counted (a few per hour per container).`,
    `- SQS FIFO: every 64 KB of a request's or a response's payload is one request. A claim's message is`,
    `  ${measured.claimMessageBytes.toFixed(0)} B (a 20-line inpatient claim with its attributes); the single door sends one per SendMessage, the batch`,
    `  door 10 per SendMessageBatch; the settle event source receives ${a.recordsPerInvocation} (FIFO maximum, reached under load) and`,
    "  deletes them in one DeleteMessageBatch; its empty long polls while idle are a fixed cost.",
    `- Reads: settle ${a.settleReadUnits} units (one consistent BatchGetItem of settlement, member, hospital, totals, each < 4 KB);`,
    `  the door's member check ${a.intakeReadUnits} (eventually consistent; the key is cached); the single door's result read`,
    `  ${a.resultReadUnits} (consistent GetItem); the feed ${a.feedReadUnitsPerItem} a settlement (eventually consistent BatchGetItem) and its keys-only index Query`,
    `  (${measured.feedIndexEntryBytes.toFixed(0)} B an entry, 0.5 a started 4 KB) shared by the page.`,
    `- Logs: one structured line per invocation at INFO (measured bytes, with the settle metrics' EMF), ${a.accessLogBytesPerRequest} B of`,
    "  API access log per request; Lambda's platform START/REPORT lines are off (system log level WARN); WAF logs",
    `  only what it blocks (none in this model). Kept ${a.logRetentionDays} days (prod's retention), priced uncompressed: an upper bound.`,
    `- X-Ray: the stack's sampling rule traces ${(a.apiTraceRate * 100).toFixed(0)}% of API requests with no reservoir (infra/tracing.ts);`,
    `  Lambda samples the settle invocations it starts from SQS itself (one a second, then ${(a.lambdaTraceRate * 100).toFixed(0)}%: the one a`,
    '  second is a fixed cost of at most $13 a month, left out).',
    '- KMS: the queues reuse data keys for 5 minutes, DynamoDB caches the table key, the upload bucket uses an S3',
    '  bucket key: KMS requests do not grow with claims (each principal about 8,640 a month per key, cents);',
    '  the keys themselves are $1 a month each.',
    `- The alternative design's settle invocation takes ${a.alternativeDurationFactor}× as long (two more single-item writes per record),`,
    '  reads 3 items instead of 4 (the idempotency record answers "already done?").',
    '- Left out: monthly fixed costs (WAF web ACL $5 + $1 a rule, KMS keys, alarms, dashboard, custom metrics),',
    '  data transfer out, the free tiers, the bulk upload door (S3 PUT and GET per file, priced like the batch door',
    '  otherwise). Keeping the claims (storage, point-in-time recovery and backups) is paid every month a claim is',
    '  kept, not once: it is priced apart, next.',
    '',
  ];
}
