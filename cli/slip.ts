/** The one-stop settlement slip (一单制结算单): a readable rendering of a Settlement. */
import { formatMoney } from '../shared/money/money.js';
import type { Settlement } from '../shared/engine/settlement.js';

/** Renders a settlement as a plain-text slip. */
export function formatSlip(settlement: Settlement): string {
  const a = settlement.amounts;
  return [
    `一单制结算单 claim ${settlement.claimId} · ${settlement.policy ?? 'no policy'} · ${settlement.status}`,
    `total ${formatMoney(a.total)} · basic ${formatMoney(a.basic)} · patient ${formatMoney(a.patient)}`,
  ].join('\n');
}
