// A small terminal emulator for the escape codes the live progress view writes: it keeps the
// screen and the scrollback (as tmux does), and counts what a real terminal would show badly (a line wrapped
// past the last column, a cursor move up that hit the top of the screen).
export class VirtualTerminal {
  readonly screen: string[];
  readonly scrollback: string[] = [];
  /** Characters written past the last column (the terminal wrapped the line). */
  wraps = 0;
  /** Cursor moves up that could not go as far as asked: the block was taller than the screen. */
  clampedMovesUp = 0;
  private row = 0;
  private col = 0;

  constructor(
    readonly columns: number,
    readonly rows: number,
  ) {
    this.screen = Array.from({ length: rows }, () => '');
  }

  write(text: string): void {
    for (let i = 0; i < text.length; i++) {
      const char = text[i]!;
      if (char === '\x1b') {
        const match = /^\x1b\[(\d*)([A-Za-z])/.exec(text.slice(i));
        if (!match) throw new Error(`unsupported escape at ${JSON.stringify(text.slice(i, i + 8))}`);
        this.escape(match[1] === '' ? undefined : Number(match[1]), match[2]!);
        i += match[0].length - 1;
      } else if (char === '\r') this.col = 0;
      else if (char === '\n') this.newLine();
      else {
        if (this.col >= this.columns) {
          this.wraps++;
          this.newLine();
        }
        const line = this.screen[this.row]!.padEnd(this.col, ' ');
        this.screen[this.row] = line.slice(0, this.col) + char + line.slice(this.col + 1);
        this.col++;
      }
    }
  }

  /** The screen as text, trailing empty rows left out. */
  text(): string {
    return this.screen.join('\n').trimEnd();
  }

  private escape(n: number | undefined, command: string): void {
    if (command === 'A') {
      const up = n ?? 1;
      if (up > this.row) this.clampedMovesUp++;
      this.row = Math.max(0, this.row - up);
    } else if (command === 'J' && (n ?? 0) === 0) {
      // Erasing the whole screen moves it into the scrollback in tmux (its scroll-on-clear option,
      // on by default): a view that redraws that way floods the history.
      if (this.row === 0 && this.col === 0) this.scrollback.push(...this.screen.filter((line) => line !== ''));
      this.screen[this.row] = this.screen[this.row]!.slice(0, this.col);
      for (let r = this.row + 1; r < this.rows; r++) this.screen[r] = '';
    } else if (command === 'K' && n === 2) this.screen[this.row] = '';
    else throw new Error(`unsupported escape ESC[${n ?? ''}${command}`);
  }

  // A TTY turns \n into \r\n (onlcr): the next line starts at column 0.
  private newLine(): void {
    this.col = 0;
    if (this.row < this.rows - 1) {
      this.row++;
      return;
    }
    this.scrollback.push(this.screen.shift()!);
    this.screen.push('');
  }
}
