// Progress of a local run on stderr. On a terminal: a live view of the workflow's states that
// redraws in place; otherwise (CI, pipes): one plain line per state start and end.
import type { ProgressEvent } from '../local/local-runner';

export function progressPrinter(stream: NodeJS.WriteStream = process.stderr): (event: ProgressEvent) => void {
  return stream.isTTY ? liveView(stream) : plainLines(stream);
}

function plainLines(stream: NodeJS.WritableStream): (event: ProgressEvent) => void {
  return (event) => {
    const line = describe(event);
    if (line) stream.write(`  ${line}\n`);
  };
}

interface Row {
  state: string;
  iteration?: number;
  status: 'running' | 'succeeded' | 'failed' | 'retrying';
  startedAt: number;
  ms?: number;
  note?: string;
}

/** Redraws the list of states (running ones with their elapsed time) after every event. */
export function liveView(stream: NodeJS.WriteStream): (event: ProgressEvent) => void {
  const rows: Row[] = [];
  let drawnLines = 0;
  const draw = (): void => {
    const width = Math.max(40, (stream.columns ?? 100) - 1);
    const lines = rows.map((row) => {
      const symbol = { running: '…', succeeded: '✓', failed: '✗', retrying: '↻' }[row.status];
      const time = row.ms !== undefined ? formatMs(row.ms) : `${formatMs(Date.now() - row.startedAt)} so far`;
      const item = row.iteration !== undefined ? ` [${row.iteration}]` : '';
      return `  ${symbol} ${row.state}${item} (${time})${row.note ? ` ${row.note}` : ''}`.slice(0, width);
    });
    let output = drawnLines > 0 ? `\x1b[${drawnLines}A` : '';
    for (const line of lines) output += `\x1b[2K${line}\n`;
    stream.write(output);
    drawnLines = lines.length;
  };
  return (event) => {
    const open = [...rows]
      .reverse()
      .find((row) => row.state === event.state && row.iteration === event.iteration && (row.status === 'running' || row.status === 'retrying'));
    if (event.kind === 'state-started') {
      if (open && open.status === 'retrying') open.status = 'running';
      else rows.push({ state: event.state, iteration: event.iteration, status: 'running', startedAt: event.at });
    } else if (open && event.kind === 'state-succeeded') {
      open.status = 'succeeded';
      open.ms = event.ms;
    } else if (open && event.kind === 'state-failed') {
      open.status = 'failed';
      open.ms = event.ms;
      open.note = event.error;
    } else if (open && event.kind === 'state-retried') {
      open.status = 'retrying';
      open.note = `retry ${event.attempt}`;
    }
    draw();
  };
}

function describe(event: ProgressEvent): string | undefined {
  switch (event.kind) {
    case 'state-started':
      return `▶ ${event.state}`;
    case 'state-succeeded':
      return `✓ ${event.state} (${formatMs(event.ms)})`;
    case 'state-retried':
      return `↻ ${event.state} retry ${event.attempt}`;
    case 'state-failed':
      return `✗ ${event.state} (${formatMs(event.ms)}): ${event.error}`;
  }
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
