// Cuts a text or its bytes into chunks at the given points (taken modulo its length, deduplicated),
// so property tests can check that readers give the same answer however a stream is split.
export function cutIntoChunks<T extends { length: number; slice(a: number, b?: number): T }>(whole: T, cuts: number[]): T[] {
  const points = [...new Set(cuts.map((c) => c % (whole.length + 1)))].sort((a, b) => a - b);
  const pieces: T[] = [];
  let start = 0;
  for (const point of points) {
    pieces.push(whole.slice(start, point));
    start = point;
  }
  pieces.push(whole.slice(start));
  return pieces;
}
