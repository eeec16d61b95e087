// exceljs stamps every entry of the .xlsx zip with the clock (archiver's default date, set for some
// entries inside exceljs' constructor where no option reaches), so two writes of the same workbook
// differ in bytes. Reruns compare run folders byte for byte, so the finished zip's entry dates are
// overwritten with one date given by the caller. Only the two-byte DOS time and date fields of each
// entry change (local header and central directory); no CRC covers them, so nothing else needs to.
// Re-zipping with a library would inflate and deflate every sheet again: minutes at millions of rows.

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;

function dosDateTime(date: Date): { time: number; day: number } {
  const year = Math.max(1980, date.getUTCFullYear());
  return {
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | Math.floor(date.getUTCSeconds() / 2),
    day: ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}

function findEndOfCentralDirectory(zip: Buffer): number {
  // 22 bytes without a comment; a comment of up to 65,535 bytes may follow.
  for (let offset = zip.length - 22; offset >= Math.max(0, zip.length - 22 - 0xffff); offset--) {
    if (zip.readUInt32LE(offset) === END_OF_CENTRAL_DIRECTORY) return offset;
  }
  throw new Error('not a zip file: no end of central directory record');
}

/** Sets every entry's modification date (in place) and returns the same buffer. */
export function setZipEntryDates(zip: Buffer, date: Date): Buffer {
  const { time, day } = dosDateTime(date);
  const end = findEndOfCentralDirectory(zip);
  const entries = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  if (entries === 0xffff || offset === 0xffffffff) throw new Error('zip64 archives are not handled');
  for (let entry = 0; entry < entries; entry++) {
    if (zip.readUInt32LE(offset) !== CENTRAL_DIRECTORY_ENTRY) throw new Error(`zip central directory entry ${entry} is malformed`);
    zip.writeUInt16LE(time, offset + 12);
    zip.writeUInt16LE(day, offset + 14);
    const local = zip.readUInt32LE(offset + 42);
    if (zip.readUInt32LE(local) !== LOCAL_FILE_HEADER) throw new Error(`zip local header of entry ${entry} is malformed`);
    zip.writeUInt16LE(time, local + 10);
    zip.writeUInt16LE(day, local + 12);
    offset += 46 + zip.readUInt16LE(offset + 28) + zip.readUInt16LE(offset + 30) + zip.readUInt16LE(offset + 32);
  }
  return zip;
}
