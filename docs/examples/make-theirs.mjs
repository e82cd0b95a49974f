// Makes a hospital's list (theirs.csv) for the 10,000-claim reconciliation of docs/province.md from our
// claims and the settlements `claims replay` wrote for them, with known differences planted:
//   every 250th settled claim left out, 17 claims the agency never saw added, every 190th claim's
//   hifp_pay one fen higher, and the rows shuffled (a fixed order, the same every run).
// Usage: node docs/examples/make-theirs.mjs claims.jsonl settlements.jsonl > theirs.csv
// Plain JavaScript on node's own modules, so it runs on any recent node.
import { readFileSync } from 'node:fs';

const [claimsFile, settlementsFile] = process.argv.slice(2);
if (!claimsFile || !settlementsFile) {
  process.stderr.write('usage: node docs/examples/make-theirs.mjs claims.jsonl settlements.jsonl > theirs.csv\n');
  process.exit(64);
}
const lines = (file) => readFileSync(file, 'utf8').split('\n').filter((line) => line.trim() !== '');
const claims = lines(claimsFile).map((line) => JSON.parse(line));
const settlements = lines(settlementsFile).map((line) => JSON.parse(line));

/** A yuan string one fen higher, in whole fen so that no float rounds it. */
const plusOneFen = (yuan) => {
  const fen = BigInt(yuan.replace('.', '')) + 1n;
  const text = fen.toString().padStart(3, '0');
  return `${text.slice(0, -2)}.${text.slice(-2)}`;
};

const rows = [];
let settled = 0;
settlements.forEach((settlement, index) => {
  if (settlement.status !== 'settled') return;
  settled += 1;
  if (settled % 250 === 0) return;
  const { amounts } = settlement;
  const basic = settled % 190 === 0 ? plusOneFen(amounts.basic) : amounts.basic;
  rows.push([settlement.claimId, claims[index].visit.dischargedOn, amounts.total, basic, amounts.catastrophic, amounts.assistance, amounts.charity]);
});
for (let i = 1; i <= 17; i += 1) rows.push([`H-EXTRA-${String(i).padStart(4, '0')}`, '2018-06-30', '100.00', '50.00', '0.00', '0.00', '0.00']);

// A fixed shuffle: sort on a hash of the claim id (FNV-1a).
const hash = (text) => {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
};
rows.sort((a, b) => hash(a[0]) - hash(b[0]));
process.stdout.write(`claim_id,discharge_date,medfee_sumamt,hifp_pay,hifmi_pay,maf_pay,oth_pay\n${rows.map((row) => row.join(',')).join('\n')}\n`);
