/**
 * The national gateway on the local stack: 2303 pre-settlement of a 20-line inpatient stay (synchronous,
 * read-only: the target is p99 < 100 ms) and 2304 settlement through the SQS pipeline, each timed from
 * request to answer over HTTP. `node dist/bench/national.js` runs it alone (short: BENCH_NATIONAL_CALLS,
 * default 200 pre-settlements and 40 settlements); `npm run bench` includes it in docs/benchmarks.md.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { loadRegistry } from '../functions/lib/registry-loader.js';
import { DEMO_ADULT, DEMO_FIXMEDINS_CODE, demoCatalogueOf, nationalDemoRegistry } from '../local/national/demo.js';
import { startLocalStack } from '../local/stack.js';
import { parseRegistry } from '../shared/registry/registry.js';

export interface Latency {
  readonly calls: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export interface NationalBench {
  readonly presettle: Latency;
  readonly settle: Latency;
  readonly lines: number;
  readonly loadBefore: string;
  readonly loadAfter: string;
}

const load = (): string => loadavg().map((l) => l.toFixed(2)).join(', ');

function latency(samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
  return { calls: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? 0 };
}

/** yyyy-MM-dd HH:mm:ss, China time, days from today. */
const dayTime = (days: number, hour = 9): string => `${new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10)} ${String(hour).padStart(2, '0')}:00:00`;

/** Runs the measurement on a fresh local stack (in memory). */
export async function benchNational(presettles = 200, settlements = 40): Promise<NationalBench> {
  const loadBefore = load();
  const stack = await startLocalStack({ logLevel: 'SILENT', national: { settleWaitMs: 10_000 } });
  try {
    const registry = nationalDemoRegistry(Number(dayTime(0).slice(0, 4)));
    const issued = await loadRegistry(stack.stores, parseRegistry({ ...registry, operators: [] }));
    const key = issued.find((k) => k.id === DEMO_FIXMEDINS_CODE)?.apiKey ?? '';
    const catalogue = demoCatalogueOf();
    await stack.stores.national.loadCatalogue(catalogue.file);
    const codes = catalogue.file.items.map((item) => item.med_list_codg);
    let sequence = 0;
    const call = async (infno: string, input: Record<string, unknown>): Promise<Record<string, any>> => {
      sequence += 1;
      const msgid = `${DEMO_FIXMEDINS_CODE}${dayTime(0).replace(/\D/g, '')}${String(sequence).padStart(4, '0')}`.slice(0, 30);
      const response = await fetch(`${stack.apiUrl}/fsi/api/rsfComIfsService/callService`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': key },
        body: JSON.stringify({ infno, msgid: `${msgid}${sequence}`.slice(-30), fixmedins_code: DEMO_FIXMEDINS_CODE, insuplc_admdvs: '140702', input }),
      });
      const answer = (await response.json()) as { infcode: number; err_msg: string | null; output: Record<string, any> };
      if (answer.infcode !== 0) throw new Error(`${infno}: ${answer.err_msg}`);
      return answer.output;
    };
    /** A discharged 20-line stay; returns its id and total. */
    const stay = async (): Promise<{ mdtrtId: string; total: number }> => {
      const admitted = await call('2401', {
        mdtrtinfo: { psn_no: DEMO_ADULT, insutype: '390', begntime: dayTime(-10), mdtrt_cert_type: '02', mdtrt_cert_no: 'x', med_type: '21', ipt_no: 'ZY', dscg_maindiag_code: 'J18.900', dscg_maindiag_name: '肺炎' },
        diseinfo: [],
      });
      const mdtrtId = admitted['result'].mdtrt_id as string;
      let total = 0;
      const feedetail = Array.from({ length: 20 }, (_, i) => {
        const fen = 1_000 + i * 137;
        total += fen;
        return { feedetl_sn: `F${i}`, mdtrt_id: mdtrtId, psn_no: DEMO_ADULT, med_type: '21', fee_ocur_time: dayTime(-9), med_list_codg: codes[i % codes.length], medins_list_codg: 'H', det_item_fee_sumamt: fen / 100, cnt: 1, pric: fen / 100 };
      });
      await call('2301', { feedetail });
      await call('2402', { dscginfo: { mdtrt_id: mdtrtId, psn_no: DEMO_ADULT, insutype: '390', endtime: dayTime(-1) }, diseinfo: [] });
      return { mdtrtId, total: total / 100 };
    };
    const settleInput = (visit: { mdtrtId: string; total: number }) => ({ data: { psn_no: DEMO_ADULT, mdtrt_cert_type: '02', mdtrt_cert_no: 'x', medfee_sumamt: visit.total, mdtrt_id: visit.mdtrtId, insutype: '390' } });

    const one = await stay();
    for (let i = 0; i < 20; i++) await call('2303', settleInput(one)); // warm-up
    const pre: number[] = [];
    for (let i = 0; i < presettles; i++) {
      const started = performance.now();
      await call('2303', settleInput(one));
      pre.push(performance.now() - started);
    }
    const visits = [];
    for (let i = 0; i < settlements; i++) visits.push(await stay());
    const settled: number[] = [];
    for (const visit of visits) {
      const started = performance.now();
      await call('2304', settleInput(visit));
      settled.push(performance.now() - started);
    }
    return { presettle: latency(pre), settle: latency(settled), lines: 20, loadBefore, loadAfter: load() };
  } finally {
    await stack.stop();
  }
}

/** The figures as the report prints them. */
export function nationalReport(result: NationalBench): string {
  const row = (name: string, l: Latency, target: string) => `| ${name} | ${l.calls} | ${l.p50.toFixed(1)} | ${l.p99.toFixed(1)} | ${l.max.toFixed(1)} | ${target} |`;
  return [
    '| national transaction (HTTP, local stack, one at a time) | calls | p50 (ms) | p99 (ms) | max (ms) | target |',
    '| --- | --- | --- | --- | --- | --- |',
    row(`2303 pre-settlement, ${result.lines}-line inpatient stay`, result.presettle, `p99 < 100 ms: ${result.presettle.p99 < 100 ? '**met**' : '**not met**'}`),
    row('2304 settlement through SQS → settle handler → DynamoDB, request to answer', result.settle, '—'),
    '',
    `Load average before ${result.loadBefore}, after ${result.loadAfter}.`,
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const calls = Number(process.env['BENCH_NATIONAL_CALLS'] ?? '200');
  benchNational(calls, Math.max(10, Math.round(calls / 5)))
    .then((result) => process.stdout.write(`${nationalReport(result)}\n`))
    .catch((error: unknown) => {
      process.stderr.write(`bench national: ${(error as Error).stack ?? String(error)}\n`);
      process.exit(1);
    });
}
