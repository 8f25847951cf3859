/**
 * The current VS Code theme as concrete colours, read from the --vscode-* variables VS Code sets on the
 * webview's <html>. Charts need concrete values (colour scales interpolate them, and an exported SVG
 * must carry them), so they are read here and the panel re-renders when the theme changes.
 */
import type { ChartColor } from '../charts/types';

export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

export interface Theme {
  kind: ThemeKind;
  colors: Record<ChartColor, string>;
  background: string;
  foreground: string;
  /** Gridlines and quiet strokes. */
  grid: string;
  /** Keyboard focus outline. */
  focus: string;
  /** A border that must stay visible in high contrast (contrastBorder), or an ordinary one. */
  border: string;
  fontFamily: string;
  fontSize: number;
  monoFamily: string;
}

/** Used when a variable is missing (an old VS Code, or the preview without a theme). */
const FALLBACKS: Record<'light' | 'dark', Record<string, string>> = {
  dark: {
    '--vscode-charts-blue': '#3794ff',
    '--vscode-charts-orange': '#d18616',
    '--vscode-charts-green': '#89d185',
    '--vscode-charts-red': '#f14c4c',
    '--vscode-charts-purple': '#b180d7',
    '--vscode-charts-yellow': '#cca700',
    '--vscode-editor-background': '#1e1e1e',
    '--vscode-editor-foreground': '#cccccc',
    '--vscode-descriptionForeground': '#a0a0a0',
    '--vscode-charts-lines': '#80808080',
    '--vscode-focusBorder': '#007fd4',
  },
  light: {
    '--vscode-charts-blue': '#1a85ff',
    '--vscode-charts-orange': '#d18616',
    '--vscode-charts-green': '#388a34',
    '--vscode-charts-red': '#e51400',
    '--vscode-charts-purple': '#652d90',
    '--vscode-charts-yellow': '#bf8803',
    '--vscode-editor-background': '#ffffff',
    '--vscode-editor-foreground': '#333333',
    '--vscode-descriptionForeground': '#717171',
    '--vscode-charts-lines': '#00000033',
    '--vscode-focusBorder': '#0090f1',
  },
};

export function themeKind(body: HTMLElement = document.body): ThemeKind {
  const attr = body.getAttribute('data-vscode-theme-kind');
  if (attr === 'vscode-high-contrast-light' || body.classList.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (attr === 'vscode-high-contrast' || body.classList.contains('vscode-high-contrast')) return 'high-contrast';
  if (attr === 'vscode-light' || body.classList.contains('vscode-light')) return 'light';
  return 'dark';
}

export function readTheme(): Theme {
  const kind = themeKind();
  const style = getComputedStyle(document.documentElement);
  const fallback = FALLBACKS[kind === 'light' || kind === 'high-contrast-light' ? 'light' : 'dark'];
  const read = (name: string, ...alternatives: string[]): string => {
    for (const n of [name, ...alternatives]) {
      const v = style.getPropertyValue(n).trim();
      if (v) return v;
    }
    return fallback[name] ?? '';
  };
  const foreground = read('--vscode-editor-foreground', '--vscode-foreground');
  const highContrast = kind === 'high-contrast' || kind === 'high-contrast-light';
  const fontSize = Number.parseFloat(read('--vscode-font-size')) || 13;
  return {
    kind,
    colors: {
      blue: read('--vscode-charts-blue'),
      orange: read('--vscode-charts-orange'),
      green: read('--vscode-charts-green'),
      red: read('--vscode-charts-red'),
      purple: read('--vscode-charts-purple'),
      yellow: read('--vscode-charts-yellow'),
      foreground,
      muted: read('--vscode-descriptionForeground'),
    },
    background: read('--vscode-editor-background'),
    foreground,
    grid: highContrast ? read('--vscode-contrastBorder', '--vscode-charts-lines') : read('--vscode-charts-lines'),
    focus: read('--vscode-focusBorder'),
    border: read('--vscode-contrastBorder', '--vscode-panel-border', '--vscode-widget-border', '--vscode-charts-lines'),
    fontFamily: read('--vscode-font-family') || 'system-ui, sans-serif',
    fontSize,
    monoFamily: read('--vscode-editor-font-family') || 'monospace',
  };
}

/**
 * Calls back when VS Code switches theme: it rewrites the body's class and the <html> style, so both
 * are watched. Returns the function that stops watching.
 */
export function onThemeChange(callback: () => void): () => void {
  let scheduled = false;
  const observer = new MutationObserver(() => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      callback();
    });
  });
  observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
  return () => observer.disconnect();
}
