/**
 * What a webview asks the host to save (`export` messages) turned into bytes and a file name. No vscode
 * import: unit-tested in Node. The webview is our code but its messages are still input: the name is
 * reduced to a plain file name with the format's extension, and the data must match the format.
 */
import type { ExportFormat, ExportMessage } from '../../protocol/webview';
import type { AnalysisResult } from '../../core/result';
import { isPng } from '../../core/dataset/images/decodedImage';
import { messageOf } from '../../core/messageOf';

export interface ExportFile {
  bytes: Uint8Array;
  fileName: string;
  /** For the save dialog's filter, e.g. { 'PNG image': ['png'] }. */
  filters: Record<string, string[]>;
}

/** Larger than any chart or result we write; a guard against a runaway message, not a product limit. */
export const MAX_EXPORT_BYTES = 256 * 1024 * 1024;

const FILTERS: Record<ExportFormat, Record<string, string[]>> = {
  svg: { 'SVG image': ['svg'] },
  png: { 'PNG image': ['png'] },
  csv: { 'CSV table': ['csv'] },
  json: { 'Collapse Lens result (JSON)': ['json'] },
};


export function isExportFormat(value: unknown): value is ExportFormat {
  return value === 'svg' || value === 'png' || value === 'csv' || value === 'json';
}

/** An `export` message as both panels post it, its fields checked; undefined when any is off. */
export function parseExportMessage(value: Record<string, unknown>): ExportMessage | undefined {
  return isExportFormat(value.format) && typeof value.suggestedName === 'string' && typeof value.data === 'string'
    ? { kind: 'export', format: value.format, suggestedName: value.suggestedName, data: value.data }
    : undefined;
}

/**
 * A plain file name: no folders, no characters Windows refuses, the format's extension added when
 * missing. Falls back to "collapse-lens.<ext>".
 */
export function safeFileName(suggested: string, format: ExportFormat): string {
  const base = suggested.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .replace(/[<>:"|?*\u0000-\u001f]/g, '-')
    .replace(/^[.\s]+|[.\s]+$/g, '')
    .slice(0, 120);
  const stem = cleaned.length > 0 ? cleaned : 'collapse-lens';
  return stem.toLowerCase().endsWith(`.${format}`) ? stem : `${stem}.${format}`;
}

export function decodeExport(format: ExportFormat, suggestedName: string, data: string): ExportFile {
  const fileName = safeFileName(suggestedName, format);
  let bytes: Uint8Array;
  if (format === 'png') {
    const prefix = 'data:image/png;base64,';
    if (!data.startsWith(prefix)) throw new Error(`export ${fileName}: PNG data is not a data:image/png;base64 URL`);
    const payload = data.slice(prefix.length);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(payload)) throw new Error(`export ${fileName}: PNG data is not valid base64`);
    bytes = Buffer.from(payload, 'base64');
    if (!isPng(bytes)) throw new Error(`export ${fileName}: the decoded data is not a PNG image`);
  } else {
    if (format === 'svg' && !/<svg[\s>]/.test(data.slice(0, 4096))) throw new Error(`export ${fileName}: the SVG data has no <svg> element`);
    if (format === 'json') {
      try {
        JSON.parse(data);
      } catch (error) {
        throw new Error(`export ${fileName}: the JSON data does not parse (${messageOf(error)})`);
      }
    }
    bytes = Buffer.from(data, 'utf8');
  }
  if (bytes.length > MAX_EXPORT_BYTES) throw new Error(`export ${fileName}: ${bytes.length} bytes is more than the ${MAX_EXPORT_BYTES}-byte limit`);
  return { bytes, fileName, filters: FILTERS[format] };
}

/**
 * A result as the JSON export writes it, from the host's complete copy: every matrix, in the form the
 * result holds it (the text the page wrote before it could lack held matrices). No size guard: this is
 * no message from a page, and a K = 1,000 result of many probes is legitimately past MAX_EXPORT_BYTES.
 */
export function resultJsonFile(suggestedName: string, result: AnalysisResult): ExportFile {
  return { bytes: Buffer.from(`${JSON.stringify(result, null, 2)}\n`, 'utf8'), fileName: safeFileName(suggestedName, 'json'), filters: FILTERS.json };
}
