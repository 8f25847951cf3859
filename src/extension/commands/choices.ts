import * as vscode from 'vscode';
import type { ReductionRequest } from '../../core/model/reduction';
import type { LayerSelection } from '../../core/model/types';
import type { DatasetSpec } from '../../core/dataset/types';

/** What a user chose for one checkpoint, remembered so the next right-click starts from it. */
export interface AnalysisChoices {
  train: DatasetSpec;
  test: DatasetSpec | null;
  perClass: number | null;
  layers: LayerSelection;
  /** The reduction picked in the analyze flow; absent = the collapseLens.reduction setting. */
  reduction?: ReductionRequest;
}

const KEY = (checkpoint: string) => `collapseLens.choices:${checkpoint}`;
const RECENT_DATASETS = 'collapseLens.recentDatasets';

export function rememberedChoices(memento: vscode.Memento, checkpoint: string): AnalysisChoices | undefined {
  return memento.get<AnalysisChoices>(KEY(checkpoint));
}

export async function rememberChoices(memento: vscode.Memento, checkpoint: string, choices: AnalysisChoices): Promise<void> {
  await memento.update(KEY(checkpoint), choices);
  const used = [choices.train, ...(choices.test ? [choices.test] : [])];
  const key = (d: DatasetSpec) => JSON.stringify(d);
  const recent = memento.get<DatasetSpec[]>(RECENT_DATASETS, []).filter((d) => !used.some((u) => key(u) === key(d)));
  await memento.update(RECENT_DATASETS, [...used, ...recent].slice(0, 10));
}

export function recentDatasets(memento: vscode.Memento): DatasetSpec[] {
  return memento.get<DatasetSpec[]>(RECENT_DATASETS, []);
}
