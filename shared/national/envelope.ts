/**
 * The national interface's envelope (报文): the request a HIS posts to
 * `/fsi/api/rsfComIfsService/callService` and the answer it reads. Every error, a validation error
 * included, is an answer with `infcode` −1 and an `err_msg` a cashier can read: Chinese, naming the field.
 */
import * as z from 'zod';

/** infcode: 0 success, −1 failure. */
export const INFCODE_OK = 0;
export const INFCODE_FAILED = -1;

/** A request the interface refuses: the field at fault (a dotted path) and why, in Chinese. */
export class NationalRequestError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(field === '' ? reason : `${field}: ${reason}`, options);
    this.name = 'NationalRequestError';
  }
}

/** The err_msg of a refusal: `[字段 input.data.mdtrt_id] 不能为空`. */
export function errMsgOf(error: NationalRequestError): string {
  return error.field === '' ? error.reason : `[字段 ${error.field}] ${error.reason}`;
}

/** A zod issue in Chinese, naming its field. */
export function zhIssue(issue: z.core.$ZodIssue, prefix: string): NationalRequestError {
  const field = [prefix, ...issue.path.map(String)].filter((p) => p !== '').join('.');
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'invalid_type':
      return new NationalRequestError(field, input === undefined || input === null ? '不能为空（is required）' : `类型错误，应为${issue.expected === 'number' ? '数值' : issue.expected === 'string' ? '字符串' : issue.expected === 'array' ? '数组' : '对象'}（expected ${issue.expected}）`);
    case 'too_big':
      return new NationalRequestError(field, `长度不能超过${String(issue.maximum)}（at most ${String(issue.maximum)}）`);
    case 'too_small':
      return new NationalRequestError(field, input === '' ? '不能为空（is required）' : `不能少于${String(issue.minimum)}（at least ${String(issue.minimum)}）`);
    case 'invalid_value':
      return new NationalRequestError(field, input === undefined ? '不能为空（is required）' : `取值${JSON.stringify(input)}不在代码表中，应为 ${issue.values.map(String).join('/')}`);
    case 'unrecognized_keys':
      return new NationalRequestError(`${field}${field ? '.' : ''}${issue.keys[0] ?? ''}`, '不是该交易的字段（not a field of this transaction）');
    default:
      return new NationalRequestError(field, issue.message);
  }
}

/** Parses `value` with `schema`; the first issue becomes a NationalRequestError naming its field under `prefix`. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, prefix: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw zhIssue(result.error.issues[0]!, prefix);
}

const text = (max: number) => z.string().max(max);
const optionalText = (max: number) => z.string().max(max).nullish();

/** The request envelope. Fields a gateway does not use are accepted and ignored, as the platform does. */
export const envelopeSchema = z.looseObject({
  infno: z.string().regex(/^\d{4}$/, '交易编号必须为4位数字（infno must be 4 digits）'),
  msgid: text(30).min(1),
  mdtrtarea_admvs: optionalText(6),
  insuplc_admdvs: optionalText(6),
  recer_sys_code: optionalText(10),
  dev_no: optionalText(100),
  dev_safe_info: optionalText(2000),
  cainfo: optionalText(1024),
  signtype: optionalText(10),
  infver: optionalText(6),
  opter_type: optionalText(3),
  opter: optionalText(30),
  opter_name: optionalText(50),
  inf_time: optionalText(19),
  fixmedins_code: text(30).min(1),
  fixmedins_name: optionalText(200),
  sign_no: optionalText(30),
  input: z.record(z.string(), z.unknown()).default({}),
});
export type Envelope = z.output<typeof envelopeSchema>;

/** The answer envelope. */
export interface Answer {
  readonly infcode: number;
  readonly inf_refmsgid: string;
  readonly refmsg_time: string;
  readonly respond_time: string;
  readonly err_msg: string | null;
  readonly warn_msg: string | null;
  readonly output: Record<string, unknown>;
}

/** `yyyyMMddHHmmssSSS` in China Standard Time, as the platform stamps its answers. */
export function stamp(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().replace(/[-:TZ.]/g, '').slice(0, 17);
}

/** `yyyy-MM-dd HH:mm:ss` in China Standard Time. */
export function chinaDateTime(at: Date): string {
  const iso = new Date(at.getTime() + 8 * 3_600_000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/** The body of a request as far as it can be read: its msgid and infno, for an answer to a request that is not an envelope. */
export function readEnvelope(body: string): Envelope {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new NationalRequestError('', '报文不是合法的JSON（the body is not JSON）');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new NationalRequestError('', '报文必须是JSON对象（the body must be a JSON object）');
  return parseWith(envelopeSchema, value, '');
}

/** An answer: success with `output`, or a failure with its message. */
export function answer(refmsgid: string, received: Date, now: Date, result: { output: Record<string, unknown> } | { error: string }, warn: string | null = null): Answer {
  return {
    infcode: 'output' in result ? INFCODE_OK : INFCODE_FAILED,
    inf_refmsgid: refmsgid,
    refmsg_time: stamp(received),
    respond_time: stamp(now),
    err_msg: 'error' in result ? result.error : null,
    warn_msg: warn,
    output: 'output' in result ? result.output : {},
  };
}
