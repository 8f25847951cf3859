import type { ProgressInfo } from '../../protocol/engine';
import type { ProgressSink } from '../progress';

/**
 * Progress on stderr so stdout stays clean for the JSON: a redrawn bar on a terminal, plain lines
 * (one per stage change or ~10%) when stderr is a pipe or a CI log.
 */
export function stderrProgress(quiet: boolean): ProgressSink {
  if (quiet) return () => undefined;
  const tty = process.stderr.isTTY === true;
  let lastLine = '';
  let lastDecile = -1;
  return (p: ProgressInfo) => {
    const frac = p.total > 0 ? Math.min(1, p.done / p.total) : 0;
    const label = `${p.stage}${p.split ? ` ${p.split}` : ''}`;
    if (tty) {
      const width = 28;
      const filled = Math.round(frac * width);
      const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
      const line = `${label.padEnd(12)} ${bar} ${p.done}/${p.total} ${p.message}`.slice(0, (process.stderr.columns || 100) - 1);
      process.stderr.write(`\r\x1b[2K${line}`);
      if (frac >= 1) process.stderr.write('\n');
      return;
    }
    const decile = Math.floor(frac * 10);
    // The message too: `metrics` names the layer there, and each layer's samples start again from 0.
    const key = `${label} ${p.message}`;
    if (key !== lastLine || decile !== lastDecile) {
      lastLine = key;
      lastDecile = decile;
      process.stderr.write(`[${label}] ${p.done}/${p.total} ${p.message}\n`);
    }
  };
}
