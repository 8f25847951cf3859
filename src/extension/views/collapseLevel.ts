import * as vscode from 'vscode';

/**
 * How collapsed a layer is, from its training NC1 (Papyan's plots run from ~10 at the input to ~1e-2
 * in the terminal phase). The thresholds are for at-a-glance colour only; the exact value is shown beside.
 */
export function collapseIcon(nc1: number | null | undefined): vscode.ThemeIcon {
  if (nc1 === null || nc1 === undefined) return new vscode.ThemeIcon('circle-outline', new vscode.ThemeColor('disabledForeground'));
  if (nc1 < 0.1) return new vscode.ThemeIcon('circle-filled', new vscode.ThemeColor('charts.green'));
  if (nc1 < 1) return new vscode.ThemeIcon('circle-filled', new vscode.ThemeColor('charts.yellow'));
  return new vscode.ThemeIcon('circle-filled', new vscode.ThemeColor('charts.red'));
}

export const fmtMetric = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : v >= 100 || v < 0.01 ? v.toExponential(1) : v.toPrecision(3));
export const fmtPercent = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);
