/**
 * The bulk upload: the bucket hospitals PUT their end-of-day JSON Lines files to (through URLs the
 * intake presigns for `uploads/{hospitalId}/…` only), its access-log bucket, and the notification
 * that runs the bulk function (functions/bulk) on each new object.
 *
 * The upload bucket holds claims (health data): SSE-KMS under the stack's data key with an S3 bucket
 * key (one KMS call per bucket key period instead of one per object), all public access blocked, SSL
 * only, versioned, uploads expired after 7 days (the bulk function has read them within minutes; a
 * re-read is harmless), access logged to the log bucket.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { CfnPermission } from 'aws-cdk-lib/aws-lambda';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { UPLOAD_PREFIX } from '../functions/storage/uploads.js';
import type { StageConfig } from './config.js';
import { stackInstanceSuffix } from './names.js';

/** Days an upload is kept: long past its reading, short enough that the bucket is no second archive. */
export const UPLOAD_RETENTION_DAYS = 7;
/** Days the access logs are kept. */
export const UPLOAD_ACCESS_LOG_DAYS = 365;

export class BulkUpload extends Construct {
  readonly bucket: Bucket;
  readonly accessLogs: Bucket;
  /** The bucket's name, known before the bucket exists (the notification's permission needs its ARN without a cycle). */
  readonly bucketName: string;
  /** The bucket name's fixed start, before the account and the stack-instance suffix. */
  readonly bucketNamePrefix: string;

  constructor(scope: Construct, id: string, props: { config: StageConfig; key: IKey }) {
    super(scope, id);
    const { config, key } = props;
    const stack = Stack.of(this);
    const removalPolicy = config.dataRemovalPolicy === RemovalPolicy.DESTROY ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
    this.accessLogs = new Bucket(this, 'AccessLogs', {
      // S3 server access logging delivers only to a bucket with SSE-S3 (or none): not the KMS key.
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      // Object ownership left to CDK: with a bucket policy for log delivery (cdk.json's flag) S3 enforces the owner; without, it needs the ACL.
      enforceSSL: true,
      versioned: true,
      lifecycleRules: [{ expiration: Duration.days(UPLOAD_ACCESS_LOG_DAYS), noncurrentVersionExpiration: Duration.days(1) }],
      removalPolicy,
    });
    this.bucketNamePrefix = `resident-claims-${config.stage}-uploads-`;
    this.bucketName = `${this.bucketNamePrefix}${stack.account}-${stackInstanceSuffix()}`;
    this.bucket = new Bucket(this, 'Uploads', {
      bucketName: this.bucketName,
      encryption: BucketEncryption.KMS,
      encryptionKey: key,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'uploads-bucket/',
      lifecycleRules: [
        {
          prefix: UPLOAD_PREFIX,
          expiration: Duration.days(UPLOAD_RETENTION_DAYS),
          noncurrentVersionExpiration: Duration.days(1),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy,
    });
  }

  /**
   * The ARN of the bucket's objects under `uploads/`, from its name (not a reference to the bucket, so
   * the functions' policies do not depend on the bucket, which depends on the bulk function).
   */
  uploadObjectsArn(): string {
    return `arn:${Stack.of(this).partition}:s3:::${this.bucketName}/${UPLOAD_PREFIX}*`;
  }

  /**
   * Runs `fn` on every object created under `uploads/`. Declared on the bucket's own notification
   * configuration (not CDK's notifications custom resource, which would add a Lambda of its own), with
   * the invoke permission scoped to this bucket and account.
   */
  notify(fn: IFunction): void {
    const stack = Stack.of(this);
    const permission = new CfnPermission(this, 'InvokeBulk', {
      action: 'lambda:InvokeFunction',
      functionName: fn.functionArn,
      principal: 's3.amazonaws.com',
      sourceAccount: stack.account,
      sourceArn: `arn:${stack.partition}:s3:::${this.bucketName}`,
    });
    const cfn = this.bucket.node.defaultChild as CfnBucket;
    cfn.notificationConfiguration = {
      lambdaConfigurations: [
        {
          event: 's3:ObjectCreated:*',
          function: fn.functionArn,
          filter: { s3Key: { rules: [{ name: 'prefix', value: UPLOAD_PREFIX }] } },
        },
      ],
    };
    // S3 checks that it may invoke the function when the configuration is set.
    cfn.addResourceDependency(permission);
  }
}
