// A growable column of numbers, so readers of large files never build an array of row objects.
// Values go into fixed-size blocks rather than a doubling array: growing never copies what is
// already read, and fresh memory is touched once (a doubling array touches about twice the final
// size and copies half of it), which made the pushes half the cost of reading a number column.

/** Values per block after the first (512 KiB of doubles); the first block is small, for small files. */
const BLOCK_VALUES = 1 << 16;
const FIRST_BLOCK_VALUES = 1 << 10;

export class NumberColumn {
  private readonly blocks: Float64Array[] = [];
  private block = new Float64Array(0);
  private filled = 0;
  length = 0;

  push(value: number): void {
    if (this.filled === this.block.length) {
      this.block = new Float64Array(this.blocks.length === 0 ? FIRST_BLOCK_VALUES : BLOCK_VALUES);
      this.blocks.push(this.block);
      this.filled = 0;
    }
    this.block[this.filled++] = value;
    this.length += 1;
  }

  /** The values in one array of exactly `length` (a copy: safe to keep while the column grows). */
  toArray(): Float64Array {
    const values = new Float64Array(this.length);
    let at = 0;
    for (const block of this.blocks) {
      const count = Math.min(block.length, this.length - at);
      values.set(count === block.length ? block : block.subarray(0, count), at);
      at += count;
    }
    return values;
  }
}
