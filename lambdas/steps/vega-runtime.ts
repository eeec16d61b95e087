// The Vega runtime the dashboard page inlines, so index.html draws its charts offline. The report
// Lambda installs the vega package beside its bundle (function-specs) so this file is there too.
import { readFileSync } from 'node:fs';

let runtime: string | undefined;

/** vega.min.js (the full browser bundle: no network, no other scripts needed). */
export function vegaBrowserRuntime(): string {
  if (runtime === undefined) {
    const text = readFileSync(require.resolve('vega/build/vega.min.js'), 'utf8');
    // Inline in a <script>: a closing tag inside would end it early.
    if (/<\/script/i.test(text)) throw new Error('vega.min.js contains "</script" and cannot be inlined as is');
    runtime = text;
  }
  return runtime;
}
