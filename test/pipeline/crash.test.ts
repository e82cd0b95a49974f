/**
 * Acceptance: a crash loses no accepted claim. The real local stack runs as its own process
 * (`node dist/local/start.js --data DIR`, what `npm start` runs); a few hundred claims of a generated
 * registry are sent to it concurrently while the test `kill -9`s, at seeded random moments,
 * (a) the stack's node process (fauxqs, the SQS server, runs inside it), then (b) the DynamoDB Local
 * java process under it; after each, the stack is started again on the same data folder.
 *
 * Everything is asserted through HTTP, as a hospital and an operator see it:
 * - every claim answered 202 is settled exactly once (GET 200; once in its member's year);
 * - every claim not answered 202 is unknown (404) or settled;
 * - while DynamoDB Local is dead, no POST is answered 202, and every answer comes within the bound;
 * - each member's totals equal the sum over its settlements.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { generatedClaims, generatedRegistry, memberId, random } from '../../local/generate.js';
import { freePort } from '../../local/servers.js';
import { LOCK_FILE } from '../../local/data-dir.js';
import { REQUEST_PATH_ATTEMPTS, callBoundMs } from '../../functions/lib/clients.js';
import type { ClaimInput } from '../../shared/contract/claim.js';
import type { SettlementJson, YearToDateJson } from '../../shared/engine/settlement.js';
import { fen } from '../support/checks.js';
import { inParallel, requireJavaForTests } from './helpers.js';

const SEED = Number(process.env['CRASH_SEED'] ?? 1117);
const MEMBERS = 24;
const PER_MEMBER = 10;
const IN_FLIGHT = 12;
const CLI = join(process.cwd(), 'dist/local/start.js');

const T0 = Date.now();
const trace = (what: string): void => void (process.env['CRASH_TRACE'] && process.stderr.write(`crash ${((Date.now() - T0) / 1000).toFixed(1)} s: ${what}\n`));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The parent of every process, from /proc. */
function parents(): Map<number, { ppid: number; comm: string }> {
  const out = new Map<number, { ppid: number; comm: string }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      out.set(Number(name), { comm: stat.slice(stat.indexOf('(') + 1, close), ppid: Number(stat.slice(close + 2).split(' ')[1]) });
    } catch {
      // Gone meanwhile.
    }
  }
  return out;
}

/** The java process (DynamoDB Local) among the descendants of `pid`. */
function javaUnder(pid: number): number | undefined {
  const table = parents();
  const isUnder = (p: number): boolean => {
    for (let at = table.get(p)?.ppid; at !== undefined && at > 1; at = table.get(at)?.ppid) if (at === pid) return true;
    return false;
  };
  return [...table].find(([p, info]) => info.comm === 'java' && isUnder(p))?.[0];
}

const alive = (pid: number): boolean => existsSync(`/proc/${pid}`) && !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));

/** One stack process on `dataDir`, started and ready (its banner printed). */
interface StackProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly dynamoEndpoint: string;
  readonly fieldKeyFile: string;
}

async function startStack(dataDir: string, port: number): Promise<StackProcess> {
  const child = spawn(process.execPath, [CLI, '--data', dataDir, '--port', String(port), '--sweep-after', '8'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'ERROR' } });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-20_000)));
  child.stderr?.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-20_000)));
  const deadline = Date.now() + 90_000;
  while (!out.includes('serving; Ctrl-C to stop')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the stack did not start: ${out}`);
    await sleep(100);
  }
  const dynamoEndpoint = /DynamoDB\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1] ?? '';
  const fieldKeyFile = /field key\s+(\S+)/.exec(out)?.[1] ?? '';
  expect(readFileSync(join(dataDir, LOCK_FILE), 'utf8').trim()).toBe(String(child.pid));
  trace(`stack ${child.pid} up`);
  return { child, pid: child.pid ?? 0, dynamoEndpoint, fieldKeyFile };
}

/** `kill -9` of a process, then waits until it is gone. */
async function killHard(pid: number): Promise<void> {
  process.kill(pid, 'SIGKILL');
  const deadline = Date.now() + 20_000;
  while (alive(pid)) {
    if (Date.now() > deadline) throw new Error(`pid ${pid} survived kill -9`);
    await sleep(50);
  }
}

interface Sent {
  readonly claim: ClaimInput;
  /** The answer's status, or 0 when the connection failed (the stack was down or died). */
  status: number;
  /** Sent while DynamoDB Local was dead and the stack still up. */
  storeDead: boolean;
  ms: number;
}

interface MemberYear {
  readonly yearToDate: YearToDateJson;
  readonly settlements: readonly { status: string; settlement: SettlementJson }[];
}

describe('crash: kill -9 of the stack and of DynamoDB Local while claims arrive', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'claims-crash-'));
  let current: StackProcess | undefined;
  afterAll(async () => {
    if (current && alive(current.pid)) current.child.kill('SIGTERM');
    await sleep(500);
    if (current && alive(current.pid)) current.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(`settles every claim answered 202 exactly once, loses none, and totals equal the settlements (seed ${SEED})`, async () => {
    // Prepare: the stack on a data folder, the generated registry loaded with the command line
    requireJavaForTests();
    const rand = random(SEED);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    current = await startStack(dataDir, port);
    const registryFile = join(dataDir, 'generated-registry.json');
    writeFileSync(registryFile, JSON.stringify(generatedRegistry(MEMBERS)));
    const loaded = await promisify(execFile)(process.execPath, [
      join(process.cwd(), 'dist/cli/main.js'), 'registry', 'load', registryFile, '--table', 'claims', '--endpoint', current.dynamoEndpoint, '--key-file', current.fieldKeyFile,
    ]);
    trace('registry loaded');
    const keys = new Map(loaded.stdout.trim().split('\n').map((line) => line.split('\t')).map(([role, id, key]) => [`${role}:${id}`, key ?? '']));
    const operatorKey = keys.get('operator:OPS-1') ?? '';
    const claims = generatedClaims(MEMBERS, PER_MEMBER, SEED).map((claim, i) => ({ ...claim, claimId: `CR-${i}` }));
    // The moments: after a random share of the claims has been answered, plus a random delay.
    const killNodeAt = Math.floor(claims.length * (0.15 + 0.2 * rand()));
    const killJavaAt = Math.floor(claims.length * (0.5 + 0.2 * rand()));
    const jitter = (): Promise<void> => sleep(Math.floor(rand() * 60));

    // Act: send, with the chaos beside the senders
    const sent: Sent[] = [];
    let up: Promise<void> = Promise.resolve();
    let storeDead = false;
    let answered = 0;
    let chaos: Promise<void> = Promise.resolve();
    const restart = async (): Promise<void> => {
      current = await startStack(dataDir, port);
    };
    /** Runs `work` with the senders paused until it is over (whether it worked or not). */
    const whileDown = async (work: () => Promise<void>): Promise<void> => {
      let ready!: () => void;
      up = new Promise((r) => (ready = r));
      try {
        await work();
      } finally {
        ready();
      }
    };
    const afterAnswer = (): void => {
      answered++;
      if (answered === killNodeAt) {
        chaos = chaos.then(async () => {
          await jitter();
          const java = javaUnder(current!.pid);
          await whileDown(async () => {
            trace('kill -9 node');
            await killHard(current!.pid);
            // Its DynamoDB Local dies with it (the supervisor's pipe closes): wait for that, never kill it here.
            const deadline = Date.now() + 20_000;
            while (java !== undefined && alive(java)) {
              if (Date.now() > deadline) throw new Error(`DynamoDB Local (pid ${java}) outlived its stack`);
              await sleep(50);
            }
            await restart();
          });
        });
      }
      if (answered === killJavaAt) {
        chaos = chaos.then(async () => {
          await jitter();
          const java = javaUnder(current!.pid);
          if (java === undefined) throw new Error('no DynamoDB Local under the stack');
          trace('kill -9 java');
          await killHard(java);
          storeDead = true;
          await sleep(400 + rand() * 600);
          await whileDown(async () => {
            await killHard(current!.pid);
            storeDead = false;
            await restart();
          });
        });
      }
    };
    await inParallel(claims, IN_FLIGHT, async (claim) => {
      await up;
      const record: Sent = { claim, status: 0, storeDead, ms: 0 };
      const started = Date.now();
      try {
        const response = await fetch(`${base}/claims`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': keys.get(`hospital:${claim.hospital.id}`) ?? '' },
          body: JSON.stringify(claim),
          signal: AbortSignal.timeout(30_000),
        });
        await response.text();
        record.status = response.status;
      } catch {
        // No answer: the stack died under the request, or was down.
      }
      record.ms = Date.now() - started;
      sent.push(record);
      afterAnswer();
      // A HIS told 503 waits before its next claim (Retry-After, shortened here); this one is not resent.
      if (record.status === 503) await sleep(250);
    });
    await chaos;
    trace(`all sent: ${sent.filter((x) => x.status === 202).length} accepted`);

    // Every claim answered 202 reaches an end (the sweeper re-sends what a crash left queued)
    const get = async (claim: ClaimInput): Promise<{ status: number; body: { status?: string } }> => {
      const response = await fetch(`${base}/claims/${claim.hospital.id}/${claim.claimId}`, { headers: { 'x-api-key': keys.get(`hospital:${claim.hospital.id}`) ?? '' } });
      return { status: response.status, body: (await response.json()) as { status?: string } };
    };
    const final = new Map<string, { status: number; body: { status?: string } }>();
    const deadline = Date.now() + 60_000;
    for (;;) {
      await inParallel(sent, IN_FLIGHT, async ({ claim }) => void final.set(claim.claimId, await get(claim)));
      const waiting = [...final.values()].filter((a) => a.status === 202 || a.status === 503).length;
      trace(`waiting for ${waiting}`);
      if (waiting === 0 || Date.now() > deadline) break;
      await sleep(1_000);
    }
    const years = new Map<string, MemberYear>();
    for (let m = 0; m < MEMBERS; m++) {
      const response = await fetch(`${base}/members/${memberId(m)}/years/2018`, { headers: { 'x-api-key': operatorKey } });
      years.set(memberId(m), (await response.json()) as MemberYear);
    }

    // Assess: the chaos happened, mid-stream
    const summary = JSON.stringify({ seed: SEED, killNodeAt, killJavaAt, statuses: Object.fromEntries([...new Set(sent.map((s) => s.status))].map((s) => [s, sent.filter((x) => x.status === s).length])) });
    expect(sent, summary).toHaveLength(claims.length);
    expect(sent.filter((s) => s.status === 0).length, summary).toBeGreaterThan(0);
    expect(sent.filter((s) => s.status === 202).length, summary).toBeGreaterThan(claims.length * 0.4);
    // While DynamoDB Local was dead: never 202, always within the bound
    for (const s of sent.filter((x) => x.storeDead && x.status !== 0)) {
      expect(s.status, summary).toBe(503);
      expect(s.ms).toBeLessThan(callBoundMs(REQUEST_PATH_ATTEMPTS));
    }
    // Each claim answered 202: settled (200); every other: unknown or settled
    const settledOnce = new Map<string, number>();
    for (const [, year] of years) for (const s of year.settlements) settledOnce.set(s.settlement.claimId, (settledOnce.get(s.settlement.claimId) ?? 0) + 1);
    for (const s of sent) {
      const answer = final.get(s.claim.claimId)!;
      if (s.status === 202) expect(answer.status, `${s.claim.claimId} was answered 202; ${summary}`).toBe(200);
      else expect([200, 404], `${s.claim.claimId} was answered ${s.status}; ${summary}`).toContain(answer.status);
      expect(settledOnce.get(s.claim.claimId) ?? 0, s.claim.claimId).toBe(answer.status === 200 ? 1 : 0);
    }
    // Each member's totals are the sum over its settlements
    for (const [id, year] of years) {
      const settled = year.settlements.filter((s) => s.status === 'settled').map((s) => s.settlement);
      const sum = (key: 'basic' | 'catastrophic' | 'assistance'): bigint => settled.reduce((total, s) => total + fen(s.amounts[key]), 0n);
      expect(fen(year.yearToDate.basicPaid), id).toBe(sum('basic'));
      expect(fen(year.yearToDate.catastrophicPaid), id).toBe(sum('catastrophic'));
      expect(fen(year.yearToDate.assistancePaid), id).toBe(sum('assistance'));
      expect(year.yearToDate.admissions, id).toBe(settled.filter((s) => s.path === 'inpatient').length);
    }
  }, 240_000);
});
