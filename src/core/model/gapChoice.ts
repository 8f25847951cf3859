/**
 * The analyze flow's `gap` choice (issue 13): a conv net's default probes can be read at their channel
 * means instead of flattened, chosen in the layers step (no extra step: the usual flow keeps its four).
 * Flattening stays the default, being exact; this is for maps too wide for memory (a ResNet's 64x56x56 =
 * 200,704 values, 1.6 GB of class means at K = 1,000), which the engine's memory refusal names by this label.
 */
import type { LayerInfo } from './types';
import { isSpatialMap, type TokenModelInfo } from './reduction';

export const GAP_CHOICE_LABEL = 'Default probes, conv maps as channel means (gap)';

export interface GapChoice {
  /** Default probes that are C x H x W maps (H x W > 1). */
  maps: number;
  /** The widest of them: its flattened width and its channel count. */
  widest: { name: string; values: number; channels: number };
}

/**
 * What the choice would reduce, or null where it is not offered: a transformer (its token tensors have
 * their own step) or a model whose default probes hold no conv map (nothing for gap to do).
 */
export function gapChoice(layers: readonly LayerInfo[], tokens: TokenModelInfo | undefined): GapChoice | null {
  if (tokens) return null;
  const maps = layers.filter((l) => l.auto && isSpatialMap(l.shape));
  if (maps.length === 0) return null;
  const size = (l: LayerInfo): number => l.shape.reduce<number>((a, d) => a * (d ?? 0), 1);
  const widest = maps.reduce((a, b) => (size(b) > size(a) ? b : a));
  return { maps: maps.length, widest: { name: widest.name, values: size(widest), channels: widest.shape[0] as number } };
}

/** The choice's description in the quick pick: how many maps, and what the widest becomes. */
export function gapChoiceDescription(choice: GapChoice, defaults: number): string {
  const values = choice.widest.values.toLocaleString('en-US');
  return `${defaults} layers; ${choice.maps} C x H x W map${choice.maps > 1 ? 's' : ''} read as channel means (the widest: ${values} values -> ${choice.widest.channels}). Smaller; not the flattened map's NC1`;
}
