// Text into HTML, for the dashboard's builders.
export function escapeHtml(text: unknown): string {
  return String(text ?? '').replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

/** A table that scrolls sideways inside its own box instead of widening the page. */
export function scrollingTable(inner: string): string {
  return `<div class="table-scroll"><table>${inner}</table></div>`;
}
