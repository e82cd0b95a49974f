/**
 * One payer's ClaimResponse: what it was presented (the whole bill for the basic fund, what the earlier
 * payers left for the others), what it found eligible and paid, and the trace entries of its step as
 * process notes.
 */
import type { ClaimResponse, ClaimResponseItemAdjudication, ClaimResponseTotal } from 'fhir/r4.js';
import type { Settlement, TraceEntry } from '../../engine/settlement.js';
import type { TraceStep } from '../../engine/trace.js';
import type { Fen } from '../../money/money.js';
import type { ClaimContext } from './context.js';
import { FHIR_SYSTEMS, type FhirPayer, adjudicationCategory, extraCategory, money, narrative, yuan } from './fhir-codes.js';
import { claimTypeOf, fhirIds, ref } from './fhir-resources.js';

type Adjudication = ClaimResponseItemAdjudication;

/** The claim-level adjudication of one payer: what it was presented, what it found eligible, what it paid. */
function payerAdjudication(settlement: Settlement, payer: FhirPayer, before: Fen): Adjudication[] {
  const a = settlement.amounts;
  const benefit: Adjudication = { category: { ...adjudicationCategory('benefit', payer.amount), text: `${payer.label}支付` }, amount: money(a[payer.amount]) };
  if (settlement.rejection) {
    benefit.reason = { coding: [{ system: FHIR_SYSTEMS.rejection, code: settlement.rejection.code, display: settlement.rejection.message }], text: `不予支付：${settlement.rejection.message}（${settlement.rejection.clause}）` };
  }
  if (payer.amount !== 'basic') {
    // What the earlier payers left the patient: this payer's starting point.
    return [{ category: adjudicationCategory('submitted'), amount: money(before) }, benefit];
  }
  const list: Adjudication[] = [{ category: adjudicationCategory('submitted', 'total'), amount: money(a.total) }];
  if (settlement.status === 'settled') {
    list.push(
      { category: extraCategory('fullOwnPay'), amount: money(a.fullOwnPay) },
      { category: extraCategory('preSelfPay'), amount: money(a.preSelfPay) },
      { category: adjudicationCategory('eligible', 'policyScope'), amount: money(a.policyScope) },
      { category: adjudicationCategory('deductible', 'deductible'), amount: money(a.deductible) },
    );
    // The patient's co-insurance on the scope above the deductible, before any later layer.
    const copay = a.policyScope - a.deductible - a.basic;
    if (copay >= 0) list.push({ category: adjudicationCategory('copay'), amount: money(copay) });
    if (a.hospitalBorne > 0) list.push({ category: extraCategory('hospitalBorne'), amount: money(a.hospitalBorne) });
  }
  list.push(benefit);
  return list;
}

/** The trace step that explains each later layer's amount; the basic fund's notes are every other step. */
const TRACE_STEP_OF_LAYER: Partial<Record<FhirPayer['amount'], TraceStep>> = { catastrophic: 'catastrophic', assistance: 'assistance', charity: 'charity' };

/** A trace entry as a process note: `step [clause; reading] arithmetic → amount` (the amount once). */
export const traceNote = (entry: TraceEntry): string =>
  `${entry.step} [${entry.clause}${entry.reading ? `; ${entry.reading}` : ''}] ${entry.detail}${entry.amount === undefined || entry.detail.endsWith(entry.amount) ? '' : ` → ${entry.amount}`}`;

function notesOf(settlement: Settlement, payer: FhirPayer): ClaimResponse['processNote'] {
  const layerSteps = new Set<TraceStep>(Object.values(TRACE_STEP_OF_LAYER));
  const mine = settlement.trace.filter((entry) => (payer.amount === 'basic' ? !layerSteps.has(entry.step) : entry.step === TRACE_STEP_OF_LAYER[payer.amount]));
  const notes = mine.map(traceNote);
  if (settlement.rejection && payer.amount === 'basic') notes.unshift(`不予支付 ${settlement.rejection.code}：${settlement.rejection.message}（${settlement.rejection.clause}）`);
  return notes.length === 0 ? undefined : notes.map((text, index) => ({ number: index + 1, type: 'display', text }));
}

/** One payer's ClaimResponse; `index` is its place in `payers`, whose earlier responses it references. */
export function claimResponseResource(
  settlement: Settlement,
  context: ClaimContext,
  payers: readonly FhirPayer[],
  index: number,
  created: string,
  status: 'active' | 'cancelled' = 'active',
): ClaimResponse {
  const ids = fhirIds(settlement);
  const payer = payers[index]!;
  const a = settlement.amounts;
  const prior = payers.slice(0, index).reduce((sum, p) => sum + a[p.amount], 0);
  // The basic fund is presented the whole bill; each later payer what the earlier ones and the hospital left.
  const before = (index === 0 ? a.total : a.total - a.hospitalBorne - prior) as Fen;
  const adjudication = payerAdjudication(settlement, payer, before);
  const paid = a[payer.amount];
  const after = (a.total - a.hospitalBorne - prior - paid) as Fen;
  const items = payer.amount === 'basic' && context.items?.length
    ? context.items.map((item, line) => ({ itemSequence: line + 1, adjudication: [{ category: adjudicationCategory('submitted'), amount: money(item.amount) }] }))
    : undefined;
  const notes = notesOf(settlement, payer);
  return {
    resourceType: 'ClaimResponse',
    id: ids.response(payer),
    text: narrative(`${payer.label}结算结果 ${settlement.claimId}`, [
      ...(settlement.rejection ? [`不予支付：${settlement.rejection.message}（${settlement.rejection.code}）`] : []),
      ...adjudication.map((entry) => `${entry.category.text ?? ''} ${yuan(Math.round((entry.amount?.value ?? 0) * 100))}`),
      `本基金支付后个人尚需负担 ${yuan(after)}`,
    ]),
    identifier: [{ system: FHIR_SYSTEMS.medinsSetlId, value: `${settlement.claimId}/${payer.fund}`, assigner: ref({ id: ids.fund(payer) }) }],
    status,
    type: claimTypeOf(settlement, context),
    use: 'claim',
    patient: ref({ id: ids.patient }),
    created,
    insurer: ref({ id: ids.fund(payer) }, payer.name),
    requestor: ref({ id: ids.hospital }),
    request: ref({ id: ids.claim }),
    outcome: 'complete',
    disposition: settlement.rejection
      ? `不予支付：${settlement.rejection.message}（${settlement.rejection.code}）`
      : `${payer.label}支付 ${yuan(paid)}（${settlement.policy ?? ''} ${settlement.policyVersion ?? ''}）`.replace(/\s+）/, '）'),
    insurance: payers.slice(0, index + 1).map((p, j) => ({
      sequence: j + 1,
      focal: j === index,
      coverage: ref({ id: ids.coverage(p) }, p.label),
      ...(j < index ? { claimResponse: ref({ id: ids.response(p) }) } : {}),
    })),
    ...(items ? { item: items } : {}),
    // The amounts are claim-level totals; the header adjudication carries only a rejection's reason.
    ...(settlement.rejection ? { adjudication: adjudication.filter((entry) => entry.reason !== undefined) } : {}),
    total: adjudication.map((entry): ClaimResponseTotal => ({ category: entry.category, amount: entry.amount! })),
    ...(paid > 0
      ? { payment: { type: { coding: [{ system: FHIR_SYSTEMS.paymentType, code: 'complete' }] }, date: created.slice(0, 10), amount: money(paid) } }
      : {}),
    ...(notes ? { processNote: notes } : {}),
  };
}
