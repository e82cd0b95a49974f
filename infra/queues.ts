/**
 * The claims queue between the intake and the settle function, and its dead-letter queue.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { DeduplicationScope, FifoThroughputLimit, Queue, QueueEncryption, RedrivePermission } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StageConfig } from './config.js';
import { stackInstanceSuffix } from './names.js';

/**
 * Deliveries before a message is dead-lettered. The settle function reads the same number
 * (`MAX_RECEIVE_COUNT`) to store the failure reason on the last attempt, so both come from here.
 */
export const MAX_RECEIVE_COUNT = 5;

/** How long one settle invocation may run; the queue's visibility timeout is six times this. */
export const SETTLE_TIMEOUT = Duration.seconds(30);

export class Queues extends Construct {
  readonly claims: Queue;
  readonly deadLetter: Queue;

  constructor(scope: Construct, id: string, props: { config: StageConfig; key: IKey }) {
    super(scope, id);
    const { config, key } = props;
    // The claims queue's name is known before either queue exists, so the dead-letter queue can name
    // it as its only allowed source without a reference cycle.
    const claimsQueueName = `resident-claims-${config.stage}-claims-${stackInstanceSuffix()}.fifo`;
    const claimsQueueArn = Stack.of(this).formatArn({ service: 'sqs', resource: claimsQueueName });
    this.deadLetter = new Queue(this, 'DeadLetter', {
      // Only the claims queue may dead-letter into this one.
      redriveAllowPolicy: { redrivePermission: RedrivePermission.BY_QUEUE, sourceQueues: [Queue.fromQueueArn(this, 'ClaimsSource', claimsQueueArn)] },
      fifo: true,
      // The dead-letter queue keeps the source message's deduplication id; content-based would merge different claims with the same body.
      contentBasedDeduplication: false,
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: key,
      // Data keys are reused for five minutes, so a busy queue calls KMS at most once per five minutes per principal.
      dataKeyReuse: Duration.minutes(5),
      enforceSSL: true,
      // The longest SQS allows: an operator has two weeks to read why a claim failed and redrive it.
      retentionPeriod: Duration.days(14),
      removalPolicy: config.dataRemovalPolicy,
    });
    this.claims = new Queue(this, 'Claims', {
      queueName: claimsQueueName,
      fifo: true,
      // The intake sets MessageDeduplicationId = hash(hospital id, claim id): a resend of the same claim is
      // dropped, while two claims with identical bodies from different hospitals are not.
      contentBasedDeduplication: false,
      // High-throughput FIFO: ordering and deduplication per message group (one member), not per queue.
      deduplicationScope: DeduplicationScope.MESSAGE_GROUP,
      fifoThroughputLimit: FifoThroughputLimit.PER_MESSAGE_GROUP_ID,
      // AWS's rule for Lambda event sources: at least six times the function timeout, so a message is not
      // redelivered while a slow batch (with SDK retries) is still settling it.
      visibilityTimeout: Duration.seconds(SETTLE_TIMEOUT.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: key,
      dataKeyReuse: Duration.minutes(5),
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetter, maxReceiveCount: MAX_RECEIVE_COUNT },
      removalPolicy: config.dataRemovalPolicy,
    });
  }
}
