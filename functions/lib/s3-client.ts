/**
 * The S3 client of the bulk upload, apart from clients.ts so that the settle bundle never pulls in the
 * S3 SDK (its cold start is measured against the bare DynamoDB and SQS clients).
 */
import { S3Client } from '@aws-sdk/client-s3';

/** Local servers accept any credentials; never use these against AWS. */
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** An S3 client for the region, or for a local S3-protocol endpoint (path-style) when one is given. */
export function createS3Client(config: { readonly region: string; readonly s3Endpoint?: string | undefined }): S3Client {
  return new S3Client({
    region: config.region,
    ...(config.s3Endpoint ? { endpoint: config.s3Endpoint, credentials: LOCAL_CREDENTIALS, forcePathStyle: true } : {}),
  });
}
