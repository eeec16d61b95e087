// The bucket store with time-limited GET links, for `engagement results pull --presign`. Links are
// a command-line feature only: keeping the presigner here, and not in lambdas/io/s3-object-store.ts
// (loaded by every Lambda), keeps it out of the Lambda bundles.
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Presigner } from './runs';
import { S3ObjectStore } from '../../lambdas/io/s3-object-store';

export class PresigningS3ObjectStore extends S3ObjectStore implements Presigner {
  /** A time-limited GET link to one object. */
  async presign(key: string, seconds: number): Promise<string> {
    return getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.bucket, Key: key }), { expiresIn: seconds });
  }
}
