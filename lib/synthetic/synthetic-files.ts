// Writes the synthetic data sets to a folder laid out like the local input folder
// (<outDir>/engagement/*.csv, <outDir>/mooc/*.tsv), through file streams with backpressure.
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { generateEngagementTables, type EngagementGeneratorOptions } from './engagement-generator';
import { generateMoocTables, type MoocGeneratorOptions } from './mooc-generator';
import type { GeneratedTables, OpenSink, TextSink } from './table-sink';
import type { RawTable, Study } from '../../lambdas/contracts/tables';

export type { GeneratedTables } from './table-sink';

export interface OutputFolder {
  /** Folder that receives the study's subfolder (engagement/ or mooc/). */
  outDir: string;
}

export function generateEngagementData(options: EngagementGeneratorOptions & OutputFolder): Promise<GeneratedTables> {
  return writeStudy(options.outDir, 'engagement', (openSink) => generateEngagementTables(options, openSink));
}

export function generateMoocData(options: MoocGeneratorOptions & OutputFolder): Promise<GeneratedTables> {
  return writeStudy(options.outDir, 'mooc', (openSink) => generateMoocTables(options, openSink));
}

/** Each file is written under a temporary name and renamed once complete, so no reader sees half a table. */
async function writeStudy(outDir: string, study: Study, generate: (openSink: OpenSink) => Promise<GeneratedTables>): Promise<GeneratedTables> {
  const folder = path.join(outDir, study);
  await mkdir(folder, { recursive: true });
  const open: { table: RawTable; stream: WriteStream; temporary: string }[] = [];
  const openSink: OpenSink = (table) => {
    const temporary = path.join(folder, `${table.fileName}.partial-${process.pid}`);
    const stream = createWriteStream(temporary);
    open.push({ table, stream, temporary });
    return fileSink(stream);
  };
  try {
    const result = await generate(openSink);
    for (const file of open) {
      file.stream.end();
      await finished(file.stream);
      await rename(file.temporary, path.join(folder, file.table.fileName));
    }
    return result;
  } catch (error) {
    for (const file of open) {
      file.stream.destroy();
      await rm(file.temporary, { force: true });
    }
    throw error;
  }
}

function fileSink(stream: WriteStream): TextSink {
  return {
    write(text) {
      if (stream.write(text)) return;
      return new Promise<void>((resolve, reject) => {
        const onError = (error: Error): void => {
          stream.off('drain', onDrain);
          reject(error);
        };
        const onDrain = (): void => {
          stream.off('error', onError);
          resolve();
        };
        stream.once('drain', onDrain);
        stream.once('error', onError);
      });
    },
  };
}
