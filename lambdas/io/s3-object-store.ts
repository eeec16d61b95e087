// The bucket behind the ObjectStore interface, on the AWS SDK v3. Large bodies stream both ways:
// getStream hands back the response stream, putStream uploads in parts (lib-storage Upload).
// Every Lambda loads this file: links (presigning) live with the command line, lib/cli/presigning-s3-store.ts.
import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { Study } from '../contracts/tables';
import { ObjectNotFoundError, assertDeletable, studyInputPrefix, type ObjectStore, type StoredObject, type VersionedText, type WriteCondition } from './object-store';

export interface S3ObjectStoreOptions {
  /** A ready client (tests point one at a local S3); else one is made from clientConfig. */
  client?: S3Client;
  clientConfig?: S3ClientConfig;
  /** Keys per ListObjectsV2 page (S3's maximum and default is 1000). */
  pageSize?: number;
}

export class S3ObjectStore implements ObjectStore {
  readonly client: S3Client;
  private readonly pageSize: number;

  constructor(
    readonly bucket: string,
    options: S3ObjectStoreOptions = {},
  ) {
    this.client = options.client ?? new S3Client(options.clientConfig ?? {});
    this.pageSize = options.pageSize ?? 1000;
  }

  async getBytes(key: string): Promise<Buffer> {
    const body = await this.getBody(key);
    return Buffer.from(await body.transformToByteArray());
  }

  async getText(key: string): Promise<string> {
    return (await this.getBytes(key)).toString('utf8');
  }

  async getStream(key: string): Promise<Readable> {
    const body = await this.getBody(key);
    // In Node the SDK's body is an http IncomingMessage (a Readable); wrap anything else.
    return body instanceof Readable ? body : Readable.fromWeb(body.transformToWebStream() as import('node:stream/web').ReadableStream);
  }

  async put(key: string, body: string | Uint8Array, contentType?: string): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }));
  }

  async putStream(key: string, body: Readable, contentType?: string): Promise<void> {
    // Upload sends parts as they fill, so memory stays bounded whatever the stream's length.
    await new Upload({ client: this.client, params: { Bucket: this.bucket, Key: key, Body: body, ContentType: contentType } }).done();
  }

  async list(prefix: string): Promise<StoredObject[]> {
    const found: StoredObject[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token, MaxKeys: this.pageSize }),
      );
      for (const object of page.Contents ?? []) {
        if (object.Key !== undefined) found.push({ key: object.Key, size: object.Size ?? 0 });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async listFolders(prefix: string): Promise<string[]> {
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, Delimiter: '/', ContinuationToken: token, MaxKeys: this.pageSize }),
      );
      for (const common of page.CommonPrefixes ?? []) {
        if (common.Prefix !== undefined) names.push(common.Prefix.slice(prefix.length, -1));
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return names.sort();
  }

  async objectVersion(key: string): Promise<string | undefined> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return [head.ETag, head.VersionId, head.LastModified?.toISOString()].filter(Boolean).join(' ');
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async exists(key: string): Promise<boolean> {
    return (await this.objectVersion(key)) !== undefined;
  }

  async delete(key: string): Promise<void> {
    assertDeletable(key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async listStudyInput(study: Study): Promise<string[]> {
    const prefix = studyInputPrefix(study);
    return (await this.list(prefix)).map((object) => object.key.slice(prefix.length));
  }

  async getVersioned(key: string): Promise<VersionedText | undefined> {
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!response.Body || !response.ETag) throw new Error(`s3://${this.bucket}/${key} came back without a body or an ETag`);
      return { text: await response.Body.transformToString('utf8'), version: response.ETag };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  // S3 conditional writes: If-None-Match '*' creates only when absent, If-Match replaces only the
  // version read (412 when the condition fails; 409 when a concurrent conditional write won).
  async putIf(key: string, body: string, condition: WriteCondition): Promise<boolean> {
    const precondition = 'absent' in condition ? { IfNoneMatch: '*' } : { IfMatch: condition.version };
    try {
      await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: 'application/json', ...precondition }));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async deleteIf(key: string, version: string): Promise<boolean> {
    assertDeletable(key);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key, IfMatch: version }));
      return true;
    } catch (error) {
      if (isConditionFailure(error) || isNotFound(error)) return false;
      throw error;
    }
  }

  private async getBody(key: string) {
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!response.Body) throw new ObjectNotFoundError(key);
      return response.Body;
    } catch (error) {
      if (isNotFound(error)) throw new ObjectNotFoundError(key);
      throw error;
    }
  }
}

function isNotFound(error: unknown): boolean {
  const candidate = error as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
  return candidate?.name === 'NoSuchKey' || candidate?.name === 'NotFound' || candidate?.Code === 'NoSuchKey' || candidate?.$metadata?.httpStatusCode === 404;
}

function isConditionFailure(error: unknown): boolean {
  const candidate = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  const status = candidate?.$metadata?.httpStatusCode;
  return status === 412 || status === 409 || candidate?.name === 'PreconditionFailed' || candidate?.name === 'ConditionalRequestConflict';
}
