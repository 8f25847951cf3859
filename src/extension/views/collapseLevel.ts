import * as vscode from 'vscode';

/**
 * How collapsed a layer is, from its training NC1 (Papyan's plots run from ~10 at the input to ~1e-2
 * in the terminal phase). The thresholds are for at-a-glance colour only; the exact value is shown beside.
 * A low-rank NC1 (Σ_B rank < K−1) gets a warning sign, never a colour: its small value says nothing about
 * collapse, and a green dot would say the opposite of the truth.
 */
export function collapseIcon(nc1: number | null | undefined, lowRank = false): vscode.ThemeIcon {
  if (lowRank) return new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
  if (nc1 === null || nc1 === undefined) return new vscode.ThemeIcon('circle-outline', new vscode.ThemeColor('disabledForeground'));
  if (nc1 < 0.1) return new vscode.ThemeIcon('circle-filled', new vscode.ThemeColor('charts.green'));
  if (nc1 < 1) return new vscode.ThemeIcon('circle-filled', new vscode.ThemeColor('charts.yellow'));
  return new vscode.ThemeIcon('circle-filled', new vscode.ThemeColor('charts.red'));
}
