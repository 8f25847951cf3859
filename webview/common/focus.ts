/**
 * Keeps keyboard focus on the same control across a full re-render: controls carry data-focus-key,
 * charts and tables data-focus-group (their roving tab stop is focused instead).
 */
export function rememberFocus(): () => void {
  const active = document.activeElement;
  if (!(active instanceof Element) || active === document.body) return () => undefined;
  const key = active.closest('[data-focus-key]')?.getAttribute('data-focus-key') ?? null;
  const group = active.closest('[data-focus-group]')?.getAttribute('data-focus-group') ?? null;
  return () => {
    const byKey = key ? document.querySelector<HTMLElement | SVGElement>(`[data-focus-key="${CSS.escape(key)}"]`) : null;
    const byGroup = group ? document.querySelector(`[data-focus-group="${CSS.escape(group)}"]`)?.querySelector<HTMLElement | SVGElement>('[tabindex="0"]') : null;
    (byKey ?? byGroup)?.focus({ preventScroll: true });
  };
}
