/** The what-if report as a side-by-side table for a terminal. */
import { type Fen, formatMoney, percentOf } from '../money/money.js';
import { displayWidth } from './slip/columns.js';
import { WHATIF_KEYS, type WhatIfKey, type WhatIfReport, signed } from './whatif.js';

const LABELS: Record<WhatIfKey, string> = {
  total: 'medical total  医疗费总额',
  basic: 'basic fund     统筹基金 390100',
  catastrophic: 'catastrophic   大病保险 390200',
  assistance: 'assistance     医疗救助 610100',
  charity: 'charity/other  其他',
  hospitalBorne: 'hospital       医院负担',
  patient: 'patients       个人负担',
};


/** Pads to a display width, counting CJK characters as two columns. */
function pad(text: string, width: number, right = false): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return right ? fill + text : text + fill;
}

/** The report as a side-by-side table for a terminal. */
export function formatWhatIf(report: WhatIfReport): string {
  const lines: string[] = [];
  const row = (label: string, a: string, b: string, d: string) => `${pad(label, 32)}${pad(a, 18, true)}${pad(b, 18, true)}${pad(d, 16, true)}`;
  lines.push(`what-if over ${report.claims} claims: ${report.claimsChanged} settle differently`);
  lines.push('');
  lines.push(row('', 'in force', 'changed', 'difference'));
  for (const key of WHATIF_KEYS) {
    const a = report.baseline.amounts[key];
    const b = report.changed.amounts[key];
    lines.push(row(LABELS[key], formatMoney(a as Fen), formatMoney(b as Fen), signed(b - a)));
  }
  lines.push(
    row(
      'patients\' share of the total',
      percentOf(report.baseline.amounts.patient as Fen, report.baseline.amounts.total as Fen, 2),
      percentOf(report.changed.amounts.patient as Fen, report.changed.amounts.total as Fen, 2),
      '',
    ),
  );
  const crossed = report.changed.crossedCatastrophic - report.baseline.crossedCatastrophic;
  lines.push(row('members over catastrophic line', String(report.baseline.crossedCatastrophic), String(report.changed.crossedCatastrophic), crossed > 0 ? `+${crossed}` : String(crossed)));
  lines.push(row('claims rejected', String(report.baseline.rejected), String(report.changed.rejected), String(report.changed.rejected - report.baseline.rejected)));
  lines.push('');
  if (report.topMembers.length === 0) lines.push('no member\'s own share changes');
  else {
    lines.push(`members most affected (${report.membersAffected} member-years change; own share per year):`);
    lines.push(`${pad('member', 24)}${pad('year', 6)}${pad('in force', 16, true)}${pad('changed', 16, true)}${pad('difference', 14, true)}`);
    for (const impact of report.topMembers) {
      lines.push(
        `${pad(impact.memberId, 24)}${pad(String(impact.year), 6)}${pad(formatMoney(impact.patientBaseline), 16, true)}${pad(formatMoney(impact.patientChanged), 16, true)}${pad(signed(impact.delta), 14, true)}`,
      );
    }
  }
  return lines.join('\n');
}
