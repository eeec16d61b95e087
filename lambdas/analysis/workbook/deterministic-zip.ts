// exceljs stamps every entry of the .xlsx zip with the clock (JSZip's default date), so two writes of
// the same workbook differ in bytes. Reruns compare run folders byte for byte, so the entries are
// re-stamped with one date given by the caller (derived from the data).
import JSZip from 'jszip';

export async function withEntryDates(zipBytes: Uint8Array, date: Date): Promise<Buffer> {
  const source = await JSZip.loadAsync(zipBytes);
  const target = new JSZip();
  // Same order as exceljs wrote them: Excel and LibreOffice do not care, but byte equality does.
  for (const entry of Object.values(source.files)) {
    if (entry.dir) target.folder(entry.name.replace(/\/$/, ''));
    else target.file(entry.name, await entry.async('uint8array'), { date });
  }
  for (const entry of Object.values(target.files)) entry.date = date;
  return target.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', platform: 'DOS' });
}
