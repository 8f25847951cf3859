/**
 * One ResizeObserver for the panel: each chart body registers a redraw, called (once per frame) when its
 * width changes, so charts follow the panel's size without polling.
 */

export class ResizeHub {
  private readonly callbacks = new Map<Element, (width: number) => void>();
  private readonly widths = new Map<Element, number>();
  private readonly pending = new Set<Element>();
  private frame: number | null = null;
  private readonly observer = new ResizeObserver((entries) => {
    for (const entry of entries) {
      const width = Math.floor(entry.contentRect.width);
      if (width !== this.widths.get(entry.target)) {
        this.widths.set(entry.target, width);
        this.pending.add(entry.target);
      }
    }
    if (this.pending.size > 0 && this.frame === null) this.frame = requestAnimationFrame(() => this.flush());
  });

  watch(element: Element, redraw: (width: number) => void): void {
    this.callbacks.set(element, redraw);
    this.observer.observe(element);
  }

  unwatch(element: Element): void {
    this.callbacks.delete(element);
    this.widths.delete(element);
    this.pending.delete(element);
    this.observer.unobserve(element);
  }

  /**
   * Draws every watched element that has not been drawn yet, now, at its current width: called once the
   * new DOM is attached, so a re-render is complete (and focus can be restored) before the next frame.
   */
  drawPending(): void {
    for (const [element, redraw] of this.callbacks) {
      if (this.widths.has(element)) continue;
      const width = Math.floor(element.getBoundingClientRect().width);
      if (width <= 0) continue;
      this.widths.set(element, width);
      redraw(width);
    }
  }

  /** Stops watching everything (before a full re-render). */
  clear(): void {
    for (const element of Array.from(this.callbacks.keys())) this.unwatch(element);
  }

  private flush(): void {
    this.frame = null;
    const due = Array.from(this.pending);
    this.pending.clear();
    for (const element of due) {
      const width = this.widths.get(element);
      const redraw = this.callbacks.get(element);
      if (redraw && width !== undefined && width > 0) redraw(width);
    }
  }
}
