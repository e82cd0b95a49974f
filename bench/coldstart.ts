/**
 * Cold start, the part the project controls: each function's bundle as CDK's esbuild builds it, and
 * the time a fresh Node process takes to import it and run its first invocation (which builds the
 * clients, the policy book, the logger), beside a bundle that holds only the bare DynamoDB and SQS
 * clients (bench/bare/handler.ts), built with the same options and measured in the same run.
 *
 * The bundles come from a real in-process `cdk synth` of the prod stack (the stack's own
 * NodejsFunctions and the local esbuild), plus one NodejsFunction for the baseline with the stack's
 * exported HANDLER_BUNDLING: no option is restated here. Lambda's own init (the runtime, fetching the
 * code) comes on top and is the same for every bundle.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { buildApp } from '../infra/claims-app.js';
import { HANDLER_BUNDLING, HANDLER_NODE_OPTIONS } from '../infra/functions.js';
import { projectRoot } from '../infra/paths.js';

export const BARE = 'bare DynamoDB + SQS clients';

export interface BundleRow {
  readonly name: string;
  readonly bytes: number;
  readonly mapBytes: number;
  /** Median import + first invocation, ms, with the stack's NODE_OPTIONS (source maps on). */
  readonly initMs: number;
  /**
   * Median CPU time (user + system) of the same import + first invocation, ms: what a busy machine's
   * wait for a core does not inflate, so the ratio to the bare bundle holds under load.
   */
  readonly initCpuMs: number;
  /** Median of the import alone, ms, same runs. */
  readonly importMs: number;
  /** Median import + first invocation without --enable-source-maps. */
  readonly initNoMapsMs: number;
  /** Median wall time of the whole process (Node's own start-up included), ms. */
  readonly processMs: number;
}

export interface ColdStartResult {
  readonly rows: readonly BundleRow[];
  readonly runs: number;
  readonly synthSeconds: number;
}

/** A first invocation that touches no network: an empty SQS batch, an unauthenticated request. */
const HARNESS = `
import { performance } from 'node:perf_hooks';
const [bundle, kind] = process.argv.slice(2);
const context = { functionName: 'bench', functionVersion: '$LATEST', invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:bench',
  memoryLimitInMB: '1024', awsRequestId: 'bench', logGroupName: 'bench', logStreamName: 'bench', callbackWaitsForEmptyEventLoop: false,
  getRemainingTimeInMillis: () => 30000, done() {}, fail() {}, succeed() {} };
const events = {
  settle: { Records: [] },
  intake: { version: '2.0', routeKey: '$default', rawPath: '/claims', rawQueryString: '', headers: {}, isBase64Encoded: false, body: '{}',
    requestContext: { http: { method: 'POST', path: '/claims', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' }, requestId: 'bench', routeKey: '$default', stage: '$default', timeEpoch: 0 } },
  authorizer: { type: 'REQUEST', methodArn: 'arn:aws:execute-api:us-east-1:000000000000:api/prod/POST/claims', headers: {} },
  bare: {},
};
const c0 = process.cpuUsage();
const t0 = performance.now();
const mod = await import(bundle);
const t1 = performance.now();
try { await mod.handler(events[kind], context); } catch {}
const t2 = performance.now();
const cpu = process.cpuUsage(c0);
process.stderr.write('COLDSTART ' + JSON.stringify({ importMs: t1 - t0, initMs: t2 - t0, cpuMs: (cpu.user + cpu.system) / 1000 }) + '\\n');
`;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

/** Synthesizes the prod stack and a baseline function with bundling; returns each bundle's index.mjs. */
function synthBundles(outdir: string): { name: string; kind: string; file: string }[] {
  const context = (JSON.parse(readFileSync(join(projectRoot(), 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;
  const app = new App({ outdir, context: { ...context, stage: 'prod', 'aws:cdk:enable-asset-metadata': true } });
  buildApp(app, { nag: false });
  const bare = new Stack(app, 'BenchBareClients');
  new NodejsFunction(bare, 'Bare', {
    entry: join(projectRoot(), 'bench', 'bare', 'handler.ts'),
    handler: 'handler',
    projectRoot: projectRoot(),
    runtime: Runtime.NODEJS_24_X,
    architecture: Architecture.ARM_64,
    bundling: HANDLER_BUNDLING,
  });
  const assembly = app.synth();
  const bundles: { name: string; kind: string; file: string }[] = [];
  for (const stack of assembly.stacks) {
    const resources = (stack.template as { Resources: Record<string, { Type: string; Properties?: { FunctionName?: string }; Metadata?: Record<string, string> }> }).Resources;
    for (const resource of Object.values(resources)) {
      const assetPath = resource.Metadata?.['aws:asset:path'];
      if (resource.Type !== 'AWS::Lambda::Function' || !assetPath) continue;
      const name = resource.Properties?.FunctionName?.replace(/^resident-claims-prod-/, '') ?? 'bare';
      bundles.push({ name: name === 'bare' ? BARE : name, kind: name, file: join(assembly.directory, assetPath, 'index.mjs') });
    }
  }
  const order = ['settle', 'intake', 'authorizer', 'bare'];
  return bundles.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
}

/** Builds the bundles, then imports each in `runs` fresh Node processes, interleaved so a load change hits all alike. */
export function benchColdStart(runs = 15): ColdStartResult {
  const dir = mkdtempSync(join(tmpdir(), 'claims-bench-coldstart-'));
  try {
    const started = performance.now();
    const bundles = synthBundles(join(dir, 'cdk.out'));
    const synthSeconds = (performance.now() - started) / 1000;
    const harness = join(dir, 'harness.mjs');
    writeFileSync(harness, HARNESS);
    const env: NodeJS.ProcessEnv = {
      PATH: process.env['PATH'] ?? '',
      AWS_REGION: 'us-east-1',
      TABLE_NAME: 'claims',
      QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/claims.fifo',
      MAX_RECEIVE_COUNT: '5',
      POWERTOOLS_METRICS_NAMESPACE: 'ResidentClaims',
      POWERTOOLS_LOG_LEVEL: 'ERROR',
    };
    const samples = new Map(bundles.map((b) => [b.name, { init: [] as number[], cpu: [] as number[], imp: [] as number[], noMaps: [] as number[], proc: [] as number[] }]));
    const once = (bundle: (typeof bundles)[number], nodeOptions: string): { importMs: number; initMs: number; cpuMs: number; processMs: number } => {
      const start = performance.now();
      const run = spawnSync(process.execPath, [harness, pathToFileURL(bundle.file).href, bundle.kind], {
        env: { ...env, NODE_OPTIONS: nodeOptions, POWERTOOLS_SERVICE_NAME: `claims-${bundle.kind}` },
        encoding: 'utf8',
      });
      const processMs = performance.now() - start;
      const line = run.stderr.split('\n').find((l) => l.startsWith('COLDSTART '));
      if (run.status !== 0 || !line) throw new Error(`cold start of ${bundle.name} failed (${run.status}): ${run.stderr}`);
      return { ...(JSON.parse(line.slice('COLDSTART '.length)) as { importMs: number; initMs: number; cpuMs: number }), processMs };
    };
    for (let i = 0; i < runs; i += 1) {
      for (const bundle of bundles) {
        const s = samples.get(bundle.name);
        if (!s) continue;
        const withMaps = once(bundle, HANDLER_NODE_OPTIONS);
        s.init.push(withMaps.initMs);
        s.cpu.push(withMaps.cpuMs);
        s.imp.push(withMaps.importMs);
        s.proc.push(withMaps.processMs);
        s.noMaps.push(once(bundle, '').initMs);
      }
    }
    const rows = bundles.map((bundle) => {
      const s = samples.get(bundle.name) ?? { init: [], cpu: [], imp: [], noMaps: [], proc: [] };
      return {
        name: bundle.name,
        bytes: statSync(bundle.file).size,
        mapBytes: statSync(`${bundle.file}.map`).size,
        initMs: median(s.init),
        initCpuMs: median(s.cpu),
        importMs: median(s.imp),
        initNoMapsMs: median(s.noMaps),
        processMs: median(s.proc),
      };
    });
    return { rows, runs, synthSeconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
