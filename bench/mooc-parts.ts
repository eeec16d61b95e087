// `npx tsx bench/mooc-parts.ts [--dir DIR (default: the act-mooc folder of bench/data.ts)] [--repeat 3]`
// Times the parts of the MOOC steps in one process on the real (or any) act-mooc files: load (what each
// of the three MOOC steps does first), drop-out model, descriptive analysis. CPU and wall per part, the
// minimum over the repeats, so it can be read on a busy machine. For a profile:
// `node --cpu-prof --cpu-prof-dir=.cache/prof --import tsx bench/mooc-parts.ts --repeat 1`.
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { analyzeMoocDescriptive } from '../lambdas/analysis/mooc/analyze';
import { trainDropoutModel } from '../lambdas/analysis/mooc/dropout-model';
import { loadMoocActions, type MoocActions } from '../lambdas/tabular/mooc-load';
import { REAL_MOOC_DIR } from './data';
import { markdownTable, seconds } from './report-table';

interface Timing {
  wallMs: number;
  cpuMs: number;
}

async function measure<T>(run: () => T | Promise<T>): Promise<{ value: T; timing: Timing }> {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  const value = await run();
  const used = process.cpuUsage(cpu);
  return { value, timing: { wallMs: performance.now() - wall, cpuMs: (used.user + used.system) / 1000 } };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { dir: { type: 'string', default: REAL_MOOC_DIR }, repeat: { type: 'string', default: '3' } } });
  const dir = values.dir!;
  const repeat = Math.max(1, Number(values.repeat));
  const best = new Map<string, Timing>();
  const keep = (name: string, timing: Timing): void => {
    const old = best.get(name);
    best.set(name, { wallMs: Math.min(old?.wallMs ?? Infinity, timing.wallMs), cpuMs: Math.min(old?.cpuMs ?? Infinity, timing.cpuMs) });
  };
  let auc = '';
  for (let r = 0; r < repeat; r++) {
    const load = await measure<MoocActions>(() =>
      loadMoocActions(
        {
          actions: createReadStream(path.join(dir, 'mooc_actions.tsv')),
          features: createReadStream(path.join(dir, 'mooc_action_features.tsv')),
          labels: createReadStream(path.join(dir, 'mooc_action_labels.tsv')),
        },
        { rowFaults: 'quarantine' },
      ),
    );
    keep('load the three TSVs', load.timing);
    const model = await measure(() => trainDropoutModel(load.value));
    keep('drop-out model (features, training, scoring)', model.timing);
    auc = `auc_val ${model.value.model.auc_val?.toFixed(4)}, auc_test ${model.value.model.auc_test?.toFixed(4)}`;
    keep('descriptive analysis', (await measure(() => analyzeMoocDescriptive(load.value, { seed: 42 }))).timing);
  }
  process.stdout.write(
    `MOOC parts on ${dir}, minimum of ${repeat} (${auc}; peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB)\n\n` +
      markdownTable(['part', 'wall s', 'CPU s'], [...best].map(([name, timing]) => [name, seconds(timing.wallMs), seconds(timing.cpuMs)])) +
      '\n',
  );
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exitCode = 1;
});
