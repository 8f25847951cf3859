/**
 * File names the webview suggests for exports. DOM-free.
 */

/** A run label or chart id as a safe file-name stem: letters, digits, '-', '_', '.', at most 80 chars. */
export function fileStem(text: string): string {
  const stem = text
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 80)
    .replace(/[-.]+$/g, '');
  return stem.length > 0 ? stem : 'collapse-lens';
}

/** e.g. ("fashion-cnn run 3", "nc1", "svg") -> "fashion-cnn-run-3-nc1.svg" */
export function exportFileName(runLabel: string, what: string, extension: string): string {
  return `${fileStem(`${runLabel}-${what}`)}.${extension}`;
}
