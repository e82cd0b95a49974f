/**
 * The national gateway's reconciliation: 3201 总账对账 (counts and totals by clr_type), 9101 the file
 * upload 3202 reads, and 3202 明细对账 (settlement by settlement against the file's rows).
 */
import * as inputs from '../../shared/national/inputs.js';
import { parseWith } from '../../shared/national/envelope.js';
import { reconcileTotals, totalsReconcileOutput } from '../../shared/national/answers.js';
import { settlementIdOf } from '../../shared/national/setlinfo.js';
import { settlementFromJson } from '../../shared/national/stored.js';
import { type Call, type GatewayContext, fail, issueId } from './context.js';

/** The reconciliation transactions over the shared context. */
export function reconcileTransactions(g: GatewayContext) {
  const { stores, national } = g;

  const reconcileTotalsCall = async (call: Call) => {
    const { data } = parseWith(inputs.totalsReconcileInput, call.env.input, 'input');
    if (data.stmt_enddate < data.stmt_begndate) fail('input.data.stmt_enddate', '对账结束日期早于开始日期');
    const rows = [];
    for await (const stored of stores.settlements.hospitalDischarges(call.hospitalId, data.stmt_begndate, data.stmt_enddate)) {
      rows.push({ settlement: settlementFromJson(stored.settlement), status: stored.status });
    }
    const ours = reconcileTotals(rows, data.clr_type);
    return totalsReconcileOutput(ours, { count: data.fixmedins_setl_cnt, medfee: data.medfee_sumamt, fund: data.fund_pay_sumamt }, data.setl_optins ?? null);
  };

  /** 9101: a file kept for a later transaction (the 3202 detail rows); answers its file_qury_no. */
  const uploadFile = async (call: Call) => {
    const { fsUploadIn } = parseWith(inputs.fileUploadInput, call.env.input, 'input');
    const fileQueryNo = issueId('F', call.received);
    await national.putFile(call.hospitalId, fileQueryNo, fsUploadIn.filename, fsUploadIn.in);
    return { file_qury_no: fileQueryNo, filename: fsUploadIn.filename, dld_endtime: null };
  };

  /**
   * 3202: the detail rows of the period (from a 9101 file: one `setl_id,mdtrt_id,psn_no,medfee_sumamt,fund_pay_sumamt`
   * line per settlement, tab- or comma-separated) against ours, settlement by settlement.
   */
  const reconcileDetail = async (call: Call) => {
    const { data } = parseWith(inputs.detailReconcileInput, call.env.input, 'input');
    const fileNo = data.file_qury_no ?? fail('input.data.file_qury_no', '请先以9101上传明细文件（upload the detail file with 9101 first）');
    const file = (await national.getFile(call.hospitalId, fileNo)) ?? fail('input.data.file_qury_no', `文件${fileNo}不存在`);
    const theirs = new Map<string, { medfee: number; fund: number; line: number }>();
    file.content.split(/\r?\n/).forEach((line, index) => {
      const cells = line.split(/[\t,]/).map((cell) => cell.trim());
      if (cells.length < 5 || !/^\d/.test(cells[3] ?? '')) return;
      theirs.set(cells[0]!, { medfee: Math.round(Number(cells[3]) * 100), fund: Math.round(Number(cells[4]) * 100), line: index + 1 });
    });
    const result: Record<string, unknown>[] = [];
    for await (const stored of stores.settlements.hospitalDischarges(call.hospitalId, data.stmt_begndate, data.stmt_enddate)) {
      if (stored.status !== 'settled') continue;
      const s = settlementFromJson(stored.settlement);
      const setlId = settlementIdOf(call.hospitalId, s.claimId);
      const mine = { medfee: s.amounts.total, fund: s.amounts.basic + s.amounts.catastrophic + s.amounts.assistance + s.amounts.charity + s.amounts.hospitalBorne };
      const other = theirs.get(setlId);
      theirs.delete(setlId);
      const agrees = other !== undefined && other.medfee === mine.medfee && other.fund === mine.fund;
      result.push({ setl_id: setlId, mdtrt_id: s.claimId, msgid: null, stmt_rslt: agrees ? '0' : '1', refd_setl_flag: '0', memo: other === undefined ? '医药机构无此结算' : agrees ? null : `金额不符：经办机构${(mine.medfee / 100).toFixed(2)}/${(mine.fund / 100).toFixed(2)}` });
    }
    for (const [setlId, other] of theirs) result.push({ setl_id: setlId, mdtrt_id: null, msgid: null, stmt_rslt: '1', refd_setl_flag: '0', memo: `经办机构无此结算（文件第${other.line}行）` });
    return { fileinfo: { file_qury_no: fileNo, filename: file.name, dld_endtime: null }, result };
  };

  return { reconcileTotalsCall, uploadFile, reconcileDetail };
}
