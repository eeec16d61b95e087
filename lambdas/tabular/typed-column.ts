// A growable column of numbers (doubling a Float64Array), so readers of large files never build
// an array of row objects.
export class NumberColumn {
  private data = new Float64Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  /** A copy trimmed to the length (safe to keep while the column grows). */
  toArray(): Float64Array {
    return this.data.slice(0, this.length);
  }

  /** A view of the filled part, without copying. */
  view(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}
