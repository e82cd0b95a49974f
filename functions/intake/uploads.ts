/**
 * `POST /hospitals/{hospitalId}/uploads`: a presigned S3 PUT URL for one end-of-day file of claims
 * (JSON Lines, one claim a line) under the hospital's own prefix `uploads/{hospitalId}/`. Only that
 * hospital's key may ask; the key of the object is chosen here, never by the caller, so a hospital can
 * only ever write under its own prefix. The bulk function (functions/bulk) reads the object when S3
 * reports it and admits each line as the hospital's, whatever the line claims.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Caller } from '../storage/keys-store.js';

/** A presigned upload: PUT the file's bytes to `url` with these headers before `expiresAt`. */
export interface PresignedUpload {
  readonly url: string;
  readonly method: 'PUT';
  readonly headers: Record<string, string>;
  readonly bucket: string;
  readonly key: string;
  readonly expiresAt: string;
}

/** Presigns uploads (the S3 adapter: functions/storage/uploads.ts). */
export interface UploadSigner {
  presign(hospitalId: string): Promise<PresignedUpload>;
}

const json = (statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: JSON.stringify(body),
});

/** Answers the upload route: `201` with the presigned upload, for the hospital's own key only. */
export async function answerUploadRoute(signer: UploadSigner | undefined, caller: Caller, hospitalId: string): Promise<APIGatewayProxyStructuredResultV2> {
  if (caller.role !== 'hospital' || caller.id !== hospitalId) return json(403, { error: 'FORBIDDEN', message: `only hospital ${hospitalId} may upload its claims` });
  if (!signer) return json(503, { error: 'UPLOADS_UNAVAILABLE', message: 'bulk uploads are not configured on this deployment' });
  const upload = await signer.presign(hospitalId);
  return json(201, { status: 'upload-ready', hospitalId, ...upload });
}
