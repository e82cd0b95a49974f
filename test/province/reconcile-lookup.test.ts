/**
 * Reconciliation against a store read per claim (the API's way): the hospital's upload held, our side
 * of the period streamed, the rest looked up by id.
 */
import { describe, expect, it } from 'vitest';
import type { Fen } from '../../shared/money/money.js';
import { UnsortedInputError } from '../../shared/province/errors.js';
import { type ReconcileRecord, readTheirUpload, reconcileByLookup } from '../../shared/province/reconcile.js';

const record = (claimId: string, dischargedOn: string, basic: number): ReconcileRecord => ({
  claimId,
  dischargedOn,
  amounts: { medfee_sumamt: 100_000 as Fen, hifp_pay: basic as Fen, hifmi_pay: 0 as Fen, maf_pay: 0 as Fen, oth_pay: 0 as Fen },
});

describe('reconcileByLookup', () => {
  it('matches, finds both one-sided claims and a fen difference, and reports a claim held under another date as a date difference', async () => {
    // Prepare: B is ours but discharged in April (outside the streamed period); the hospital says March.
    const ours = [record('A', '2018-03-02', 60_000), record('C', '2018-03-09', 50_000), record('D', '2018-03-20', 70_000)];
    const store = new Map([['B', record('B', '2018-04-01', 40_000)]]);
    const theirs = readTheirUpload(
      'claim_id,discharge_date,medfee_sumamt,hifp_pay,hifmi_pay,maf_pay,oth_pay\r\nD,2018-03-20,1000.00,700.01,0,0,0\r\nB,2018-03-30,1000.00,400.00,0,0,0\r\nA,2018-03-02,1000.00,600.00,0,0,0\r\nE,2018-03-15,10.00,5.00,0,0,0\r\n',
      'csv',
    );
    const looked: string[][] = [];

    // Act
    const { findings, summary } = await reconcileByLookup(theirs, ours, async (ids) => {
      looked.push([...ids]);
      return new Map(ids.filter((id) => store.has(id)).map((id) => [id, store.get(id)!]));
    });

    // Assess
    expect(looked).toEqual([['B', 'E']]);
    expect(findings).toEqual([
      { kind: 'differs', claimId: 'B', differences: [{ field: 'discharge_date', ours: '2018-04-01', theirs: '2018-03-30' }] },
      { kind: 'only-ours', claimId: 'C', ours: ours[1] },
      { kind: 'differs', claimId: 'D', differences: [{ field: 'hifp_pay', ours: '700.00', theirs: '700.01', delta: '0.01' }] },
      { kind: 'only-theirs', claimId: 'E', theirs: theirs[3] },
    ]);
    expect(summary).toMatchObject({ matched: 1, differing: 2, onlyOurs: 1, onlyTheirs: 1 });
  });

  it('refuses an upload that names a claim twice', async () => {
    // Prepare
    const theirs = [record('A', '2018-03-02', 1), record('A', '2018-03-02', 1)];

    // Act
    const run = reconcileByLookup(theirs, [], async () => new Map());

    // Assess
    await expect(run).rejects.toThrow(UnsortedInputError);
  });

  it('reads JSON Lines uploads with the national field names', () => {
    // Act
    const [row] = readTheirUpload('{"setl_id":"A","enddate":"2018-03-02","medfee_sumamt":"10.00","hifp_pay":"6.00","hifmi_pay":"0.00","maf_pay":"0.00","oth_pay":"0.00","psn_part_amt":"4.00"}\n', 'jsonl');

    // Assess
    expect(row).toEqual({ claimId: 'A', dischargedOn: '2018-03-02', amounts: { medfee_sumamt: 1000, hifp_pay: 600, hifmi_pay: 0, maf_pay: 0, oth_pay: 0, psn_part_amt: 400 } });
  });
});
