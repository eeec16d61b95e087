// The sha256 of an input file taken while a step reads it for its own purpose: the hash then
// describes the very bytes that were validated, and the file is not read a second time to hash it.
import { createHash } from 'node:crypto';

export interface HashingRead {
  /** The same chunks, hashed as they pass. */
  chunks: AsyncIterable<Uint8Array>;
  /** The hex sha256 of every chunk read; call it once the reader has consumed them all. */
  digest(): string;
}

export function hashingRead(source: AsyncIterable<Uint8Array | string>): HashingRead {
  const hash = createHash('sha256');
  let done = false;
  async function* pass(): AsyncIterable<Uint8Array> {
    for await (const chunk of source) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      hash.update(bytes);
      yield bytes;
    }
    done = true;
  }
  return {
    chunks: pass(),
    digest: () => {
      if (!done) throw new Error('the file was not read to its end, so it has no sha256 yet');
      return hash.digest('hex');
    },
  };
}
