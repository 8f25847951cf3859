import * as vscode from 'vscode';
import type { LayerInfo, LayerSelection } from '../../core/model/types';
import { describeReductionRequest, type ReductionRequest, type TokenModelInfo } from '../../core/model/reduction';
import { GAP_CHOICE_LABEL, gapChoice, gapChoiceDescription } from '../../core/model/gapChoice';

interface PerClassItem extends vscode.QuickPickItem {
  value: number | null;
}

export async function pickPerClass(previous: number | null | undefined, fallback: number | null): Promise<number | null | undefined> {
  const current = previous === undefined ? fallback : previous;
  const values: (number | null)[] = [100, 200, 500, 1000, null];
  if (!values.includes(current)) values.unshift(current);
  const items: PerClassItem[] = values.map((v) => ({
    label: v === null ? 'All samples' : `${v} per class`,
    description: v === current ? 'last used' : v === 200 ? 'balanced, seeded subsample' : undefined,
    value: v,
  }));
  items.sort((a, b) => (a.value === current ? -1 : b.value === current ? 1 : 0));
  const pick = await vscode.window.showQuickPick(items, { title: 'Collapse Lens: samples per class (3/4)', placeHolder: 'More samples: tighter estimates, longer run', ignoreFocusOut: true });
  return pick ? pick.value : undefined;
}

interface LayerModeItem extends vscode.QuickPickItem {
  mode: 'auto' | 'auto-gap' | 'all' | 'pick';
}

interface LayerItem extends vscode.QuickPickItem {
  layer: LayerInfo;
}

/**
 * The layers step. A conv net (no tokens) with conv maps among its default probes is also offered those
 * probes with every map read at its channel means (gap), which then sets the reduction. undefined = cancelled.
 */
export async function pickLayers(
  layers: LayerInfo[],
  previous: LayerSelection | undefined,
  tokens: TokenModelInfo | undefined,
  previousReduction: ReductionRequest | undefined,
): Promise<{ layers: LayerSelection; reduction?: ReductionRequest } | undefined> {
  const autoCount = layers.filter((l) => l.auto).length;
  const gap = gapChoice(layers, tokens);
  const items: LayerModeItem[] = [
    { label: 'Default probes', description: `${autoCount} layers: block outputs, activations, pooling, flatten, classifier input, logits`, mode: 'auto' },
    ...(gap ? [{ label: GAP_CHOICE_LABEL, description: gapChoiceDescription(gap, autoCount), mode: 'auto-gap' as const }] : []),
    { label: 'Every layer', description: `${layers.length} float tensors`, mode: 'all' },
    { label: 'Choose layers…', description: Array.isArray(previous) ? `last: ${previous.length} chosen` : undefined, mode: 'pick' },
  ];
  const lastMode = previous === 'all' ? 'all' : Array.isArray(previous) ? 'pick' : gap && previousReduction?.all === 'gap' ? 'auto-gap' : 'auto';
  const last = items.findIndex((i) => i.mode === lastMode);
  if (last > 0) items.unshift(...items.splice(last, 1));
  const mode = await vscode.window.showQuickPick(items, { title: 'Collapse Lens: layers (4/4)', placeHolder: 'Which layers to probe', ignoreFocusOut: true });
  if (!mode) return undefined;
  if (mode.mode === 'auto-gap') return { layers: 'auto', reduction: { all: 'gap' } };
  if (mode.mode !== 'pick') return { layers: mode.mode };
  const chosen = new Set(Array.isArray(previous) ? previous : layers.filter((l) => l.auto).map((l) => l.name));
  const layerItems: LayerItem[] = layers.map((l) => ({
    label: l.name,
    description: `${l.op} ${l.shape.map((d) => d ?? '?').join('x')}`,
    picked: chosen.has(l.name),
    layer: l,
  }));
  const picked = await vscode.window.showQuickPick(layerItems, { title: 'Collapse Lens: choose layers', canPickMany: true, ignoreFocusOut: true, matchOnDescription: true });
  if (!picked || picked.length === 0) return undefined;
  return { layers: picked.map((p) => p.layer.name) };
}

interface ReductionItem extends vscode.QuickPickItem {
  value: ReductionRequest | undefined;
}

/**
 * For a transformer only (the layers list says so): how its T x D token tensors become features. Other
 * models skip the step (their conv maps are flattened; gap is a choice of the layers step, the
 * collapseLens.reduction setting, and offered by a memory refusal), so the usual flow keeps its four steps.
 * undefined = cancelled.
 */
export async function pickReduction(
  tokens: { classToken: boolean } | undefined,
  previous: ReductionRequest | undefined,
  setting: ReductionRequest | undefined,
): Promise<{ reduction: ReductionRequest | undefined } | undefined> {
  // No picker here, so nothing to remember: the setting applies, read fresh for every analysis.
  if (!tokens) return { reduction: undefined };
  const current = previous ?? setting;
  const items: ReductionItem[] = [
    // Explicit, so that "Default" runs the defaults it describes even when the setting names another.
    { label: 'Default', description: tokens.classToken ? 'token tensors: the class token (cls); other tensors flattened' : 'token tensors: mean over tokens (no class token found); other tensors flattened', value: { all: 'auto' } },
    ...(tokens.classToken ? [{ label: 'cls', description: 'the class token (token 0) of every T x D tensor', value: { all: 'cls' as const } }] : []),
    { label: 'mean', description: 'the mean over the tokens of every T x D tensor', value: { all: 'mean' } },
    { label: 'flatten', description: 'every tensor whole (T x D values: wide, and mixes token positions)', value: { all: 'flatten' } },
  ];
  const last = items.findIndex((i) => describeReductionRequest(i.value) === describeReductionRequest(current));
  if (last > 0) items.unshift(...items.splice(last, 1));
  const pick = await vscode.window.showQuickPick(items, { title: 'Collapse Lens: token reduction (transformer)', placeHolder: 'How each token tensor becomes a feature vector', ignoreFocusOut: true });
  return pick ? { reduction: pick.value } : undefined;
}
