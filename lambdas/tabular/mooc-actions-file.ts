// The act-mooc rows ValidateMoocInput accepted, as one compact binary object: the MOOC steps after
// it (the drop-out model, the analysis) read this instead of parsing the three raw TSVs again.
// Layout: "MOOCACT1", the byte length of a JSON part (n, notes, rejected rows), the JSON padded to 8
// bytes, then the columns as little-endian doubles (ACTIONID, USERID, TARGETID, TIMESTAMP,
// FEATURE0..3) and LABEL as one byte per row.
import { MOOC_FEATURE_COUNT, type MoocActions } from './mooc-load';

const MAGIC = 'MOOCACT1';
const PREFIX_BYTES = 16; // the magic and the JSON length (a uint32, padded to 8 bytes)
const DOUBLE_COLUMNS = 4 + MOOC_FEATURE_COUNT;
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function doubleColumns(actions: MoocActions): Float64Array[] {
  return [actions.actionId, actions.userId, actions.targetId, actions.timestamp, ...actions.features];
}

export function encodeMoocActions(actions: MoocActions): Uint8Array {
  if (!littleEndian) throw new Error('encodeMoocActions: a little-endian machine is assumed');
  const json = new TextEncoder().encode(JSON.stringify({ n: actions.n, notes: actions.notes, rejected: actions.rejected }));
  const jsonPadded = Math.ceil(json.length / 8) * 8;
  const n = actions.n;
  const bytes = new Uint8Array(PREFIX_BYTES + jsonPadded + DOUBLE_COLUMNS * 8 * n + n);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(bytes.buffer).setUint32(8, json.length, true);
  bytes.set(json, PREFIX_BYTES);
  let offset = PREFIX_BYTES + jsonPadded;
  for (const column of doubleColumns(actions)) {
    if (column.length !== n) throw new Error(`encodeMoocActions: a column has ${column.length} rows, not ${n}`);
    bytes.set(new Uint8Array(column.buffer, column.byteOffset, n * 8), offset);
    offset += n * 8;
  }
  bytes.set(actions.label.subarray(0, n), offset);
  return bytes;
}

/** The bytes where doubles can be viewed in place: 8-byte aligned, else copied to a fresh buffer. */
function aligned(stored: Uint8Array): Uint8Array {
  if (stored.byteOffset % 8 === 0) return stored;
  const copy = new Uint8Array(stored.length);
  copy.set(stored);
  return copy;
}

export function decodeMoocActions(stored: Uint8Array, source: string): MoocActions {
  if (!littleEndian) throw new Error('decodeMoocActions: a little-endian machine is assumed');
  const bytes = aligned(stored);
  if (new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) throw new Error(`${source}: not a validated MOOC actions file`);
  const jsonLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true);
  const meta = JSON.parse(new TextDecoder().decode(bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + jsonLength))) as Pick<MoocActions, 'n' | 'notes' | 'rejected'>;
  const n = meta.n;
  const start = PREFIX_BYTES + Math.ceil(jsonLength / 8) * 8;
  if (bytes.length !== start + DOUBLE_COLUMNS * 8 * n + n) throw new Error(`${source}: ${bytes.length} bytes, not the ${start + DOUBLE_COLUMNS * 8 * n + n} of ${n} rows`);
  const column = (index: number) => new Float64Array(bytes.buffer, bytes.byteOffset + start + index * 8 * n, n);
  return {
    n,
    actionId: column(0),
    userId: column(1),
    targetId: column(2),
    timestamp: column(3),
    features: Array.from({ length: MOOC_FEATURE_COUNT }, (_, k) => column(4 + k)),
    label: new Uint8Array(bytes.buffer, bytes.byteOffset + start + DOUBLE_COLUMNS * 8 * n, n),
    notes: meta.notes,
    rejected: meta.rejected,
  };
}
