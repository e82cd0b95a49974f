/**
 * The national gateway's fee transactions: 2301 fee detail upload, answered line by line from the
 * agency catalogue and the policy in force, and 2302 its cancellation (the outpatient 2204 / 2205).
 */
import * as inputs from '../../shared/national/inputs.js';
import { parseWith } from '../../shared/national/envelope.js';
import { cancelFees, feeResultOf, uploadFees } from '../../shared/national/visit.js';
import { type Call, type GatewayContext } from './context.js';

/** The fee transactions over the shared context. */
export function feeTransactions(g: GatewayContext) {
  const { book, member, catalogueFor, changeVisit, once } = g;

  const uploadFeeLines = async (call: Call) => {
    const { feedetail } = parseWith(inputs.feeUploadInput, call.env.input, 'input');
    const mdtrtId = feedetail[0]!.mdtrt_id;
    return once(call, async () => {
      const catalogue = await catalogueFor(feedetail.map((line) => line.med_list_codg));
      let added: ReturnType<typeof uploadFees>['added'] = [];
      await changeVisit(call, mdtrtId, feedetail[0]!.psn_no, 'input.feedetail.0', async (visit) => {
        const m = await member(visit.psnNo, 'input.feedetail.0.psn_no');
        const policy = book.inForce(m.region, visit.admittedOn)?.policy;
        const done = uploadFees(visit, feedetail, call.env.msgid, catalogue, policy);
        added = done.added;
        return done.visit;
      });
      return { output: { result: added.map(feeResultOf) }, mdtrtId };
    });
  };

  const cancelFeeLines = async (call: Call) => {
    const { data } = parseWith(inputs.feeCancelInput, call.env.input, 'input');
    return once(call, async () => {
      await changeVisit(call, data.mdtrt_id, data.psn_no, 'input.data', (visit) => cancelFees(visit, data.feedetl_sn));
      return { output: {}, mdtrtId: data.mdtrt_id };
    });
  };

  return { uploadFeeLines, cancelFeeLines };
}
