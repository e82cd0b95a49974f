/**
 * Sending a claim to the settle queue, as the intake does and the sweeper does again: the same
 * message attributes, FIFO group and deduplication id either way.
 */
import { createHash } from 'node:crypto';
import { type SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { settlementKey } from '../storage/keys.js';

/** The FIFO deduplication id: hospital + claim, hashed to fit SQS's 128-character limit and alphabet. */
export function deduplicationId(hospitalId: string, claimId: string): string {
  return createHash('sha256').update(settlementKey(hospitalId, claimId)).digest('hex');
}

/** The FIFO message group: the member id when SQS accepts it as one (printable ASCII), else its hash. */
export function messageGroupId(memberId: string): string {
  return /^[\x21-\x7e]{1,128}$/.test(memberId) ? memberId : createHash('sha256').update(memberId).digest('hex');
}

/**
 * Sends a claim to the settle queue. FIFO: one member's claims in order, and SQS drops a resend
 * within 5 minutes. Correctness depends on neither: the settle handler's DynamoDB conditions decide.
 */
export async function queueClaim(
  deps: { readonly sqs: SQSClient; readonly queueUrl: string },
  body: string,
  hospitalId: string,
  claimId: string,
  memberId: string,
  fifo = deps.queueUrl.endsWith('.fifo'),
  /** Set by the sweeper: its message must not be dropped as a duplicate of the lost one it replaces. */
  resentAt?: string,
): Promise<void> {
  const dedup = deduplicationId(hospitalId, claimId);
  await deps.sqs.send(
    new SendMessageCommand({
      QueueUrl: deps.queueUrl,
      MessageBody: body,
      MessageAttributes: {
        hospitalId: { DataType: 'String', StringValue: hospitalId },
        claimId: { DataType: 'String', StringValue: claimId },
      },
      ...(fifo ? { MessageGroupId: messageGroupId(memberId), MessageDeduplicationId: resentAt === undefined ? dedup : createHash('sha256').update(`${dedup}#${resentAt}`).digest('hex') } : {}),
    }),
  );
}


/**
 * Sends the settle function a member-year's pending correction to carry out (functions/lib/chain.ts):
 * in the member's FIFO group, behind and ahead of its claims in order. Deduplicated per member-year
 * and time, so a sweep repeated within SQS's five minutes sends it once.
 */
export async function queueCorrection(deps: { readonly sqs: SQSClient; readonly queueUrl: string }, memberId: string, year: number, at: string): Promise<void> {
  const fifo = deps.queueUrl.endsWith('.fifo');
  await deps.sqs.send(
    new SendMessageCommand({
      QueueUrl: deps.queueUrl,
      MessageBody: JSON.stringify({ event: 'correction', memberId, year }),
      ...(fifo ? { MessageGroupId: messageGroupId(memberId), MessageDeduplicationId: createHash('sha256').update(`correction#${memberId}#${year}#${at}`).digest('hex') } : {}),
    }),
  );
}
