/** Maps arbitrary ids to 0..k-1 in ascending id order. */
export function denseIndex(ids: ArrayLike<number> & Iterable<number>): { index: Int32Array; ids: number[] } {
  const unique = Array.from(new Set(ids)).sort((a, b) => a - b);
  const position = new Map<number, number>();
  unique.forEach((id, i) => position.set(id, i));
  const index = new Int32Array(ids.length);
  for (let i = 0; i < ids.length; i++) index[i] = position.get(ids[i]!)!;
  return { index, ids: unique };
}
