// Progress of a local run on stderr: one line per state start and end with its duration.
import type { ProgressEvent } from '../local/local-runner';

export function progressPrinter(stream: NodeJS.WriteStream = process.stderr): (event: ProgressEvent) => void {
  return (event) => {
    switch (event.kind) {
      case 'state-started':
        stream.write(`  ▶ ${event.state}\n`);
        break;
      case 'state-succeeded':
        stream.write(`  ✓ ${event.state} (${formatMs(event.ms)})\n`);
        break;
      case 'state-retried':
        stream.write(`  ↻ ${event.state} retry ${event.attempt}\n`);
        break;
      case 'state-failed':
        stream.write(`  ✗ ${event.state} (${formatMs(event.ms)}): ${event.error}\n`);
        break;
    }
  };
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
