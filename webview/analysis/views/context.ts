/**
 * What every view of the analysis panel is handed: the theme, the shared tooltip, resize tracking and the
 * actions that reach the host.
 */
import type { ChartExportFormat } from '../../common/exportChart';
import type { Theme } from '../../common/theme';
import type { Tooltip } from '../../common/tooltip';
import type { ResizeHub } from './resizeHub';

export interface ViewContext {
  theme: Theme;
  tooltip: Tooltip;
  resize: ResizeHub;
  /** The user picked a layer (click, Enter, table row, summary link). */
  selectLayer(name: string): void;
  exportChart(svg: SVGSVGElement, title: string, what: string, format: ChartExportFormat): void;
}
