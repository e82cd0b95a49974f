/**
 * The national gateway's read-only queries: 9001 sign-in and 9002 sign-out, 1101 person query
 * (masked), 5206 cumulative query from the member's stored totals.
 */
import * as inputs from '../../shared/national/inputs.js';
import { chinaDateTime, parseWith } from '../../shared/national/envelope.js';
import { cumulativeOutput, personQueryOutput } from '../../shared/national/answers.js';
import { type Call, type GatewayContext, fail, issueId } from './context.js';

/** The query transactions over the shared context. */
export function queryTransactions(g: GatewayContext) {
  const { stores, member, personOfMember } = g;

  const signIn = async (call: Call) => {
    parseWith(inputs.signInInput, call.env.input, 'input');
    return { signinoutb: { sign_time: chinaDateTime(call.received), sign_no: issueId('Q', call.received) } };
  };

  /**
   * 9002 签退: answered with its time. Sign-in keeps no session here (each request is authenticated by
   * its key or signature), so there is nothing to end; the answer is what a HIS waits for.
   */
  const signOut = async (call: Call) => {
    parseWith(inputs.signOutInput, call.env.input, 'input');
    return { signoutoutb: { sign_time: chinaDateTime(call.received) } };
  };

  const personQuery = async (call: Call) => {
    const { data } = parseWith(inputs.personQueryInput, call.env.input, 'input');
    // The registry is keyed by person number: a HIS reads it from the e-voucher (01) or social security card (03).
    const psnNo = data.psn_no ?? (data.mdtrt_cert_type === '02' ? fail('input.data.psn_no', '以身份证（02）查询时请同时提供人员编号 psn_no（the registry is keyed by person number）') : data.mdtrt_cert_no);
    const m = await member(psnNo, data.psn_no ? 'input.data.psn_no' : 'input.data.mdtrt_cert_no');
    const day = (data.begntime ?? chinaDateTime(call.received)).slice(0, 10);
    return personQueryOutput(m, personOfMember(m, day), day, call.env.insuplc_admdvs ?? undefined);
  };

  const cumulative = async (call: Call) => {
    const { data } = parseWith(inputs.cumulativeInput, call.env.input, 'input');
    const m = await member(data.psn_no, 'input.data.psn_no');
    const year = Number((data.cum_ym ?? chinaDateTime(call.received).slice(0, 4)).slice(0, 4));
    const totals = await stores.settlements.getTotals(m.id, year);
    return cumulativeOutput(totals.totals, year, data.cum_ym ?? null);
  };

  return { signIn, signOut, personQuery, cumulative };
}
