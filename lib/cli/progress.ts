// Progress of a local run on stderr. On a terminal: a live view that redraws in place and never
// takes more rows than the screen has (a taller block cannot be redrawn: the cursor cannot move
// above the screen's top, so each redraw would add a copy to the scrollback). Otherwise (CI,
// pipes): one plain line per state finished, no escape codes.
import type { ProgressEvent } from '../local/local-runner';

export interface ProgressPrinter {
  (event: ProgressEvent): void;
  /** Draws the last frame and stops the clock; nothing is written after it. */
  close(): void;
}

/**
 * The states that do work (Task, Parallel, Map), nested ones included: what "n of N" counts. A state
 * reached only through a Catch (the failure handler) is left out: a run that succeeds never enters
 * it, and its count would end one short.
 */
export function workStateNames(definition: { StartAt: string; States: Record<string, any> }): string[] {
  const names: string[] = [];
  const visit = (machine: { StartAt: string; States: Record<string, any> }): void => {
    for (const name of reachableWithoutCatch(machine)) {
      const state = machine.States[name];
      if (['Task', 'Parallel', 'Map'].includes(state.Type)) names.push(name);
      for (const branch of state.Branches ?? []) visit(branch);
      for (const processor of [state.ItemProcessor, state.Iterator]) if (processor) visit(processor);
    }
  };
  visit(definition);
  return [...new Set(names)];
}

/** The states of one machine or branch that its start reaches by Next, Default and Choices, in the definition's order. */
function reachableWithoutCatch(machine: { StartAt: string; States: Record<string, any> }): string[] {
  const reached = new Set<string>();
  const pending = [machine.StartAt];
  while (pending.length > 0) {
    const name = pending.pop()!;
    const state = machine.States[name];
    if (reached.has(name) || !state) continue;
    reached.add(name);
    pending.push(...[state.Next, state.Default, ...(state.Choices ?? []).map((choice: { Next?: string }) => choice.Next)].filter((next): next is string => typeof next === 'string'));
  }
  return Object.keys(machine.States).filter((name) => reached.has(name));
}

export function progressPrinter(stream: NodeJS.WriteStream = process.stderr, workStates?: readonly string[]): ProgressPrinter {
  return stream.isTTY ? liveView(stream, workStates) : plainLines(stream, workStates);
}

/**
 * Which work states have ended and which instances (a Map runs a state once per item) are running.
 * A state counts as done once it has ended and no instance of it is running.
 */
class StateCounter {
  readonly running = new Map<string, { state: string; iteration?: number; startedAt: number; attempt?: number }>();
  private readonly ended = new Set<string>();
  private readonly entered = new Set<string>();

  constructor(private readonly workStates?: readonly string[]) {}

  update(event: ProgressEvent): void {
    const key = `${event.state}#${event.iteration ?? ''}`;
    this.entered.add(event.state);
    if (event.kind === 'state-started') {
      const open = this.running.get(key);
      this.running.set(key, { state: event.state, iteration: event.iteration, startedAt: open?.startedAt ?? event.at, attempt: open?.attempt });
    } else if (event.kind === 'state-retried') {
      const open = this.running.get(key);
      this.running.set(key, { state: event.state, iteration: event.iteration, startedAt: open?.startedAt ?? event.at, attempt: event.attempt });
    } else {
      this.running.delete(key);
      this.ended.add(event.state);
    }
  }

  isWork(state: string): boolean {
    return this.workStates === undefined || this.workStates.includes(state);
  }

  done(): number {
    return [...this.ended].filter((state) => this.isWork(state) && ![...this.running.values()].some((open) => open.state === state)).length;
  }

  /**
   * "12 of 34 states done" (or "12 states done" when the definition is not known). At the end, how
   * many a run never entered (RecordFailure in a run that succeeds, the raw-data stages in stats).
   */
  summary(final = false): string {
    if (!this.workStates) return `${this.done()} states done`;
    const notEntered = this.workStates.filter((state) => !this.entered.has(state)).length;
    return `${this.done()} of ${this.workStates.length} states done${final && notEntered > 0 ? `, ${notEntered} not entered` : ''}`;
  }
}

function plainLines(stream: NodeJS.WritableStream, workStates?: readonly string[]): ProgressPrinter {
  const counter = new StateCounter(workStates);
  const print = ((event: ProgressEvent) => {
    counter.update(event);
    if (event.kind === 'state-started' || !counter.isWork(event.state)) return;
    const line = event.kind === 'state-retried' ? retryLine(event) : `${finishLine(event)} · ${counter.summary()}`;
    stream.write(`  ${line}\n`);
  }) as ProgressPrinter;
  print.close = () => undefined;
  return print;
}

/** Redraws, after every event and every second, a block: the count, the elapsed time and the states running now. */
export function liveView(stream: NodeJS.WriteStream, workStates?: readonly string[]): ProgressPrinter {
  const counter = new StateCounter(workStates);
  let firstEventAt: number | undefined;
  let drawnLines = 0;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const block = (final: boolean): string[] => {
    const rows = Math.max(2, stream.rows ?? 24);
    const elapsed = firstEventAt === undefined ? '' : ` · ${formatElapsed(Date.now() - firstEventAt)}`;
    const groups = new Map<string, { count: number; startedAt: number; attempt?: number }>();
    for (const open of counter.running.values()) {
      if (!counter.isWork(open.state)) continue;
      const group = groups.get(open.state);
      groups.set(open.state, {
        count: (group?.count ?? 0) + 1,
        startedAt: Math.min(group?.startedAt ?? open.startedAt, open.startedAt),
        attempt: group?.attempt ?? open.attempt,
      });
    }
    const running = [...groups].map(([state, group]) => {
      const times = group.count > 1 ? ` ×${group.count}` : '';
      const retry = group.attempt ? `, retry ${group.attempt}` : '';
      return `  ${group.attempt ? '↻' : '…'} ${state}${times} (${formatMs(Date.now() - group.startedAt)}${retry})`;
    });
    // One row stays free for the cursor, so that writing the block never scrolls the screen.
    const room = rows - 2;
    const shown = running.length > room ? [...running.slice(0, room - 1), `  … and ${running.length - room + 1} more running`] : running;
    return [`  ${counter.summary(final)}${elapsed}`, ...shown];
  };

  const fit = (line: string): string => [...line].slice(0, Math.max(10, (stream.columns ?? 80) - 1)).join('');

  // Lines that stay (failures and retries) are written above the block, then the block again.
  // Each old line is erased on its own (ESC[2K): erasing from the cursor to the end of the screen
  // while the block sits at the top would clear the whole screen, which tmux moves into its
  // scrollback (scroll-on-clear), one copy per frame.
  const draw = (kept: string[] = [], final = false): void => {
    let output = drawnLines > 0 ? `\r\x1b[${drawnLines}A` : '';
    const lines = block(final).map(fit);
    const written = [...kept.map(fit), ...lines];
    for (const line of written) output += `\x1b[2K${line}\n`;
    // Rows of the last frame below the new one are cleared, then the cursor goes back up to the
    // row after the new frame. They were on screen already, so writing them never scrolls.
    const leftover = drawnLines - written.length;
    if (leftover > 0) output += `${'\x1b[2K\n'.repeat(leftover)}\x1b[${leftover}A`;
    stream.write(output);
    drawnLines = lines.length;
  };

  const print = ((event: ProgressEvent) => {
    if (closed) return;
    firstEventAt ??= event.at;
    counter.update(event);
    const kept = !counter.isWork(event.state) ? [] : event.kind === 'state-failed' ? [`  ${finishLine(event)}`] : event.kind === 'state-retried' ? [`  ${retryLine(event)}`] : [];
    draw(kept);
    if (!timer) {
      timer = setInterval(() => draw(), 1000);
      timer.unref();
    }
  }) as ProgressPrinter;
  print.close = () => {
    if (closed) return;
    closed = true;
    if (timer) clearInterval(timer);
    if (firstEventAt !== undefined) draw([], true);
  };
  return print;
}

function finishLine(event: Extract<ProgressEvent, { kind: 'state-succeeded' | 'state-failed' }>): string {
  const item = event.iteration !== undefined ? ` [${event.iteration}]` : '';
  return event.kind === 'state-succeeded' ? `✓ ${event.state}${item} (${formatMs(event.ms)})` : `✗ ${event.state}${item} (${formatMs(event.ms)}): ${event.error}`;
}

function retryLine(event: Extract<ProgressEvent, { kind: 'state-retried' }>): string {
  const item = event.iteration !== undefined ? ` [${event.iteration}]` : '';
  return `↻ ${event.state}${item} retry ${event.attempt}`;
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** "elapsed 42 s", "elapsed 3 min 05 s". */
export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const minutes = Math.floor(seconds / 60);
  return minutes > 0 ? `elapsed ${minutes} min ${String(seconds % 60).padStart(2, '0')} s` : `elapsed ${seconds} s`;
}
