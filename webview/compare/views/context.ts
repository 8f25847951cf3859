/**
 * What the compare views are handed: the analysis panel's view context (theme, tooltip, resize hub,
 * chart export) with `selectLayer` meaning "select this aligned row", plus the compare actions.
 */
import type { ViewContext } from '../../analysis/views/context';

export interface CompareViewContext extends ViewContext {
  openRun(runId: string): void;
}
