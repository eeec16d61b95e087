// A growable column of numbers, so readers of large files never build an array of row objects.
// Values go into fixed chunks of Float64Array and are copied once into an exact-length array at the
// end: growing one array by doubling held up to 3x the data at a time (the old and the new array,
// half empty), which for 18M rows and three columns was most of a 1,769 MB Lambda.
const CHUNK = 1 << 16;

export class NumberColumn {
  private readonly full: Float64Array[] = [];
  private current = new Float64Array(CHUNK);
  private fill = 0;
  length = 0;

  push(value: number): void {
    if (this.fill === CHUNK) {
      this.full.push(this.current);
      this.current = new Float64Array(CHUNK);
      this.fill = 0;
    }
    this.current[this.fill++] = value;
    this.length += 1;
  }

  /** The values as one exact-length array (a copy: safe to keep while the column grows). */
  toArray(): Float64Array {
    const values = new Float64Array(this.length);
    let offset = 0;
    for (const chunk of this.full) {
      values.set(chunk, offset);
      offset += CHUNK;
    }
    values.set(this.current.subarray(0, this.fill), offset);
    return values;
  }
}
