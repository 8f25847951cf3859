/**
 * Colours for K classes. VS Code's theme defines only six chart colours, too few for ten classes, so the
 * classes get evenly spaced hues at a lightness that reads on the theme's background (light text-like
 * colours on dark themes, dark ones on light themes, stronger in high contrast).
 */
import * as d3 from 'd3';
import type { Theme } from './theme';

export function classColors(theme: Theme, count: number): string[] {
  const lightBackground = theme.kind === 'light' || theme.kind === 'high-contrast-light';
  const highContrast = theme.kind === 'high-contrast' || theme.kind === 'high-contrast-light';
  const lightness = lightBackground ? (highContrast ? 36 : 50) : highContrast ? 80 : 70;
  const chroma = highContrast ? 75 : 60;
  // Evenly spaced hues, visited with a stride so classes next to each other in the list (often related,
  // like T-shirt and Trouser) get distant hues; every other class a little darker, to part neighbours.
  const stride = strideFor(count);
  return Array.from({ length: count }, (_, i) => {
    const hue = (15 + ((i * stride) % count) * (360 / count)) % 360;
    const shift = i % 2 === 0 ? 0 : lightBackground ? -8 : -12;
    return d3.hcl(hue, chroma, lightness + shift).formatHex();
  });
}

/** A step near count/3 that visits every hue once (coprime with count). */
function strideFor(count: number): number {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  for (let s = Math.max(1, Math.round(count / 3)); s < count; s++) if (gcd(s, count) === 1) return s;
  return 1;
}
