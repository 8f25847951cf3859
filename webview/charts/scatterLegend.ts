/** Which classes the 2-D projection colours, names and lists in its legend (DOM-free, tested without a page). */
import type { ScatterSpec } from './types';

/** What the legend lists: every class, or the featured ones (plus the searched one) and a row for the rest. */
export interface LegendRow {
  label: string;
  /** The class, or null for the row standing for the classes not listed. */
  group: number | null;
}

/**
 * Which classes are drawn in colour and named, and the legend's rows. Without `featured` every class is
 * (up to 20 classes: above that a 20-row legend is the most the card holds, and the caller passes `featured`).
 */
export function scatterLegend(spec: ScatterSpec): { named: Set<number>; rows: LegendRow[] } {
  const k = spec.groupLabels.length;
  const label = (g: number): string => spec.groupLabels[g] ?? `class ${g}`;
  if (spec.featured === undefined) {
    const all = Array.from({ length: k }, (_, g) => g);
    return { named: new Set(all), rows: k <= 20 ? all.map((g) => ({ label: label(g), group: g })) : [] };
  }
  const named = new Set(spec.featured.filter((g) => g >= 0 && g < k));
  const highlight = spec.highlight ?? null;
  if (highlight !== null && highlight >= 0 && highlight < k) named.add(highlight);
  const rows: LegendRow[] = [...named].map((g) => ({ label: label(g), group: g }));
  const others = k - named.size;
  if (others > 0) rows.push({ label: `${others} other ${others === 1 ? 'class' : 'classes'}`, group: null });
  return { named, rows };
}
