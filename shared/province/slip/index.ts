/** The one-stop settlement slip: one model, drawn as terminal text or as a printable page. */
export { buildSlip, chinaTime, INSURANCE_TYPE, type Slip, type SlipInput, type SlipAmount, type SlipField, type SlipYearRow } from './slip.js';
export { slipText } from './text.js';
export { slipHtml, SLIP_PAPERS, type SlipPaper, type SlipHtmlOptions } from './html.js';
