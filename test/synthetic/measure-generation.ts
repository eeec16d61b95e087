// Run in a child process by memory.test.ts (and by hand for timings):
//   tsx test/synthetic/measure-generation.ts engagement|mooc SIZE SEED OUT_DIR
// Prints one JSON line: rows, bytes, seconds, RSS before generating and peak RSS, in MB.
import { generateEngagementData, generateMoocData } from '../../lib/synthetic/synthetic-files';

async function main(): Promise<void> {
  const [study, size, seed, outDir] = process.argv.slice(2);
  if (!outDir || (study !== 'engagement' && study !== 'mooc')) throw new Error('usage: measure-generation.ts engagement|mooc SIZE SEED OUT_DIR');
  const rssBeforeMb = process.memoryUsage().rss / 2 ** 20;
  const started = performance.now();
  const result =
    study === 'engagement'
      ? await generateEngagementData({ students: Number(size), seed: Number(seed), outDir })
      : await generateMoocData({ users: Number(size), seed: Number(seed), outDir });
  const seconds = (performance.now() - started) / 1000;
  // maxRSS is in kilobytes.
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ ...result, seconds, rssBeforeMb, peakRssMb })}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
