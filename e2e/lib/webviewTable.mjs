// Reads an HTML table inside a webview frame into plain rows keyed by the header texts, so a test can
// say row['NC1 train'] instead of depending on the panel's markup.

/** The first table in `frame` whose header row contains `headerText`. */
export function tableWithHeader(frame, headerText) {
  return frame.locator('table').filter({ has: frame.locator('th', { hasText: headerText }) }).first();
}

/** The table's body rows as objects { [header]: cell text } (header and cell texts trimmed). */
export async function readTable(table) {
  return table.evaluate((element) => {
    // A layer cell shows the layer's short name; its data-layer holds the full tensor name the CLI reports.
    const clean = (node) => node.getAttribute('data-layer') ?? (node.textContent ?? '').replace(/\s+/g, ' ').trim();
    const headers = Array.from(element.querySelectorAll('thead th, tr:first-child th')).map(clean);
    const bodyRows = Array.from(element.querySelectorAll('tbody tr')).filter((row) => row.querySelector('td') !== null);
    return bodyRows.map((row) => {
      const cells = Array.from(row.querySelectorAll('td, th')).map(clean);
      return Object.fromEntries(headers.map((header, index) => [header, cells[index] ?? '']));
    });
  });
}

/** The cell under the header that starts with `label` (headers may carry sort arrows); fails naming the columns there are. */
export function cellUnder(row, label) {
  const header = Object.keys(row).find((key) => key === label || key.startsWith(`${label} `));
  if (header === undefined) throw new Error(`the table has no "${label}" column (it has ${Object.keys(row).join(', ')})`);
  return row[header];
}
