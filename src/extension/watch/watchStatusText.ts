/**
 * The status bar's words for the watches under way: "$(eye) watching N checkpoints, k queued", the epoch
 * the engine is on while it analyses, and a line per folder (stored / analysed / corrupt / failed) in the
 * tooltip and the accessible label. No vscode import.
 */
import { basename } from 'node:path';
import type { WatchView } from './watchController';

export interface WatchStatusText {
  text: string;
  /** The tooltip, also the item's accessible label (what a screen reader, and the e2e test, read). */
  detail: string;
  /** Which command a click runs: show the trajectory, or resume a stopped watch. */
  click: 'show' | 'resume';
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function folderLine(v: WatchView): string {
  const count = (state: string) => v.checkpoints.filter((c) => c.state === state).length;
  const flagged = [count('corrupt') > 0 ? `${count('corrupt')} corrupt` : '', count('failed') > 0 ? `${count('failed')} failed` : '', count('deleted') > 0 ? `${count('deleted')} deleted` : ''].filter(Boolean);
  const state = v.watching ? 'watching' : 'stopped';
  return `${basename(v.folder)} (${state}): ${v.stored} stored, ${v.analysed} analysed${flagged.length > 0 ? `, ${flagged.join(', ')}` : ''}`;
}

/** undefined when there is no watch, running or stopped, to show. */
export function watchStatusText(views: WatchView[]): WatchStatusText | undefined {
  if (views.length === 0) return undefined;
  const active = views.filter((v) => v.watching);
  const lines = views.map(folderLine).join('\n');
  if (active.length === 0) return { text: '$(eye-closed) watch stopped', detail: `Collapse Lens: watch stopped; click to resume.\n${lines}`, click: 'resume' };
  // A deleted checkpoint is no longer watched (its point stays in the trajectory).
  const watched = active.reduce((n, v) => n + v.checkpoints.filter((c) => c.state !== 'deleted').length, 0);
  const queued = active.reduce((n, v) => n + v.queued, 0);
  const busy = active.find((v) => v.analysing !== undefined);
  const summary = `watching ${plural(watched, 'checkpoint')}, ${queued} queued`;
  const text = busy ? `$(sync~spin) analysing epoch ${busy.analysing} · ${summary}` : `$(eye) ${summary}`;
  return { text, detail: `Collapse Lens: ${summary}${busy ? `; analysing epoch ${busy.analysing} of ${basename(busy.folder)}` : ''}.\n${lines}`, click: 'show' };
}
