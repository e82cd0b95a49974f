/**
 * The bulk bucket's S3 adapter: presigned PUTs to a hospital's own prefix, and the hospital a stored
 * object belongs to. The object key is `uploads/{hospitalId}/{date}/{uuid}.jsonl` with the hospital id
 * percent-encoded, so an id can never reach into another hospital's prefix.
 */
import { randomUUID } from 'node:crypto';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { PresignedUpload, UploadSigner } from '../intake/uploads.js';

/** The prefix every upload lives under (the bulk function's notification filter). */
export const UPLOAD_PREFIX = 'uploads/';
/** The media type an upload is signed for: JSON Lines, one claim a line. */
export const UPLOAD_MEDIA_TYPE = 'application/x-ndjson';
/** How long a presigned upload URL stays valid. */
export const UPLOAD_URL_SECONDS = 15 * 60;

/** The object key of a new upload of `hospitalId`. */
export function uploadKey(hospitalId: string, now: Date = new Date()): string {
  return `${UPLOAD_PREFIX}${encodeURIComponent(hospitalId)}/${now.toISOString().slice(0, 10)}/${randomUUID()}.jsonl`;
}

/** The hospital whose prefix an object key is under, or undefined when it is under none. */
export function uploaderOf(key: string): string | undefined {
  if (!key.startsWith(UPLOAD_PREFIX)) return undefined;
  const segment = key.slice(UPLOAD_PREFIX.length).split('/')[0];
  if (!segment) return undefined;
  try {
    const id = decodeURIComponent(segment);
    // Only a key this adapter made: the segment must be the id's own encoding.
    return encodeURIComponent(id) === segment ? id : undefined;
  } catch {
    return undefined;
  }
}

/** Presigns PUTs to the bulk bucket with the caller's credentials (no request to S3 is made). */
export class S3UploadSigner implements UploadSigner {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly expiresInSeconds = UPLOAD_URL_SECONDS,
  ) {}

  async presign(hospitalId: string): Promise<PresignedUpload> {
    const now = new Date();
    const key = uploadKey(hospitalId, now);
    // The bucket's default encryption (SSE-KMS, bucket key) applies to the object: the client sends no key header.
    const url = await getSignedUrl(this.s3, new PutObjectCommand({ Bucket: this.bucket, Key: key, ContentType: UPLOAD_MEDIA_TYPE }), {
      expiresIn: this.expiresInSeconds,
    });
    return {
      url,
      method: 'PUT',
      headers: { 'content-type': UPLOAD_MEDIA_TYPE },
      bucket: this.bucket,
      key,
      expiresAt: new Date(now.getTime() + this.expiresInSeconds * 1000).toISOString(),
    };
  }
}
