/**
 * The national gateway's visit transactions: 2401 admission (issues mdtrt_id) and 2404 its
 * cancellation, 2402 discharge and 2405 its cancellation; the outpatient 2201 / 2202 / 2203.
 */
import * as inputs from '../../shared/national/inputs.js';
import { parseWith } from '../../shared/national/envelope.js';
import { type VisitState, admit, cancelAdmission, cancelDischarge, discharge } from '../../shared/national/visit.js';
import { VersionConflictError } from '../lib/errors.js';
import { type Call, type GatewayContext, fail, issueId } from './context.js';

/** The visit transactions over the shared context. */
export function visitTransactions(g: GatewayContext) {
  const { national, member, hospital, changeVisit, once } = g;

  const admission = (family: 'inpatient' | 'outpatient') => async (call: Call) => {
    const { mdtrtinfo, diseinfo } = parseWith(inputs.admissionInput, call.env.input, 'input');
    return once(call, async () => {
      await member(mdtrtinfo.psn_no, 'input.mdtrtinfo.psn_no');
      await hospital(call.hospitalId);
      const mdtrtId = issueId(family === 'inpatient' ? 'Z' : 'M', call.received);
      const visit = admit({ mdtrtId, hospitalId: call.hospitalId, msgid: call.env.msgid, family, info: mdtrtinfo, diagnoses: diseinfo });
      if (!(await national.putVisit(visit, 0))) throw new VersionConflictError(`visit ${mdtrtId}`, 1);
      return { output: { result: { mdtrt_id: mdtrtId, psn_no: mdtrtinfo.psn_no, ipt_otp_no: mdtrtinfo.ipt_no ?? null } }, mdtrtId };
    });
  };

  /** A transaction that names a visit (`data.mdtrt_id`, `data.psn_no`) and moves it on by one transition. */
  const visitTransition = (transition: (visit: VisitState) => VisitState) => async (call: Call) => {
    const { data } = parseWith(inputs.visitRefInput, call.env.input, 'input');
    return once(call, async () => {
      await changeVisit(call, data.mdtrt_id, data.psn_no, 'input.data', transition);
      return { output: {}, mdtrtId: data.mdtrt_id };
    });
  };

  const cancelVisit = visitTransition(cancelAdmission);

  const dischargeVisit = async (call: Call) => {
    const { dscginfo, diseinfo } = parseWith(inputs.dischargeInput, call.env.input, 'input');
    return once(call, async () => {
      await changeVisit(call, dscginfo.mdtrt_id, dscginfo.psn_no, 'input.dscginfo', (visit) => discharge(visit, dscginfo, diseinfo, call.env.msgid));
      return { output: {}, mdtrtId: dscginfo.mdtrt_id };
    });
  };

  /** 2203 门诊就诊信息上传: the diagnosis of an outpatient visit (the serious-disease list reads it). */
  const outpatientInfo = async (call: Call) => {
    const input = call.env.input as { mdtrtinfo?: { mdtrt_id?: unknown; psn_no?: unknown; dise_codg?: unknown }; diseinfo?: { diag_code?: unknown }[] };
    const mdtrtId = typeof input.mdtrtinfo?.mdtrt_id === 'string' ? input.mdtrtinfo.mdtrt_id : fail('input.mdtrtinfo.mdtrt_id', '不能为空（is required）');
    return once(call, async () => {
      const code = typeof input.mdtrtinfo?.dise_codg === 'string' ? input.mdtrtinfo.dise_codg : typeof input.diseinfo?.[0]?.diag_code === 'string' ? input.diseinfo[0].diag_code : null;
      await changeVisit(call, mdtrtId, typeof input.mdtrtinfo?.psn_no === 'string' ? input.mdtrtinfo.psn_no : null, 'input.mdtrtinfo', (visit) => ({ ...visit, diagnosis: code ?? visit.diagnosis }));
      return { output: {}, mdtrtId };
    });
  };

  const undoDischarge = visitTransition(cancelDischarge);

  return { admission, cancelVisit, dischargeVisit, undoDischarge, outpatientInfo };
}
