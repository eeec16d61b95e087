// Storage behind one small interface: S3 in the cloud, a folder locally (same keys).
import type { Readable } from 'node:stream';
import { CHECKED_PREFIX, CURATED_PREFIX, RAW_PREFIX, RESULTS_PREFIX } from '../contracts/layout';
import type { Study } from '../contracts/tables';

export interface StoredObject {
  key: string;
  size: number;
}

export interface ObjectStore {
  /** Name used in s3:// URIs (the bucket; a placeholder locally). */
  readonly bucket: string;
  getBytes(key: string): Promise<Buffer>;
  getText(key: string): Promise<string>;
  /** Streams an object's bytes, for files too large to hold as one string. */
  getStream(key: string): Promise<Readable>;
  put(key: string, body: string | Uint8Array, contentType?: string): Promise<void>;
  /** Writes a stream (large outputs) without holding it in memory. */
  putStream(key: string, body: Readable, contentType?: string): Promise<void>;
  /** Objects under a prefix, sorted by key. */
  list(prefix: string): Promise<StoredObject[]>;
  /**
   * The names of the folders right under a prefix that ends in '/' (S3's common prefixes), sorted:
   * what is inside them is not read, so a folder of many files, or one that cannot be read, costs nothing.
   */
  listFolders(prefix: string): Promise<string[]>;
  exists(key: string): Promise<boolean>;
  /** Removes an object if it exists. Only results and curated copies are ever deleted: input objects never are. */
  delete(key: string): Promise<void>;
  /**
   * A small object's text with a version token that changes whenever the object is replaced (the
   * ETag in S3); undefined when there is no such object. Pairs with putIf and deleteIf.
   */
  /**
   * Names of everything a user put in a study's input area, relative to it (locally the entries of
   * <input>/<study>/, in S3 the keys under raw/<study>/), so a near miss of an expected name (a
   * .CSV, a different case) is reported as found rather than taken for an absent file.
   */
  listStudyInput(study: Study): Promise<string[]>;
  getVersioned(key: string): Promise<VersionedText | undefined>;
  /**
   * A token that changes whenever the object is replaced or written to (S3: its ETag and time;
   * a folder: size, modification time and inode of the file), without reading it; undefined when it is absent.
   */
  objectVersion(key: string): Promise<string | undefined>;
  /**
   * Conditional write, atomic in the store: creates the object only when it is absent, or replaces
   * it only while its version is still the given one. False when another writer came first.
   */
  putIf(key: string, body: string, condition: WriteCondition): Promise<boolean>;
  /** Deletes the object only while its version is still the given one; false when it changed or is gone. */
  deleteIf(key: string, version: string): Promise<boolean>;
}

export interface VersionedText {
  text: string;
  version: string;
}

export type WriteCondition = { absent: true } | { version: string };

/** Guard shared by every store: the workflow may delete only what it wrote (results/, checked/, curated/); raw/ never. */
export function assertDeletable(key: string): void {
  if (!DELETABLE_PREFIXES.some((prefix) => key.startsWith(prefix))) {
    throw new Error(`refusing to delete ${key}: only ${DELETABLE_PREFIXES.join(' and ')} objects may be deleted`);
  }
}

const DELETABLE_PREFIXES = [RESULTS_PREFIX, CHECKED_PREFIX, CURATED_PREFIX];

export class ObjectNotFoundError extends Error {
  override name = 'ObjectNotFoundError';
  constructor(readonly key: string) {
    super(`object not found: ${key}`);
  }
}

/** Splits s3://bucket/key; rejects any other form. */
export function parseS3Uri(uri: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!match) throw new Error(`not an s3:// object URI: ${uri}`);
  return { bucket: match[1]!, key: match[2]! };
}

/** The prefix of a study's input area in the bucket: raw/<study>/. */
export function studyInputPrefix(study: Study): string {
  return `${RAW_PREFIX}${study}/`;
}
