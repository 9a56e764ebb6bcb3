// Window math for a virtualized list of rows of varying height.
//
// Heights start as an estimate and are replaced by measurements as rows render. Offsets are
// prefix sums kept in a Fenwick tree, so a measurement, an offset look-up and "which row is
// at this pixel" all cost O(log n) even with 100,000 rows.

export class HeightIndex {
  private heights: Float64Array;
  private tree: Float64Array;
  private size: number;

  constructor(count: number, private readonly estimate: number) {
    this.size = count;
    this.heights = new Float64Array(count).fill(estimate);
    this.tree = new Float64Array(count + 1);
    this.rebuild();
  }

  get count(): number {
    return this.size;
  }

  /** Total height of all rows. */
  get total(): number {
    return this.prefix(this.size);
  }

  /** Records the measured height of one row; returns the change in pixels. */
  set(index: number, height: number): number {
    if (index < 0 || index >= this.size) return 0;
    const delta = height - (this.heights[index] ?? this.estimate);
    if (delta === 0) return 0;
    this.heights[index] = height;
    for (let i = index + 1; i <= this.size; i += i & -i) {
      this.tree[i] = (this.tree[i] ?? 0) + delta;
    }
    return delta;
  }

  /** Top of row `index` (the sum of the heights of the rows before it). */
  offsetOf(index: number): number {
    return this.prefix(Math.max(0, Math.min(index, this.size)));
  }

  /** The row that covers pixel `offset` (clamped to the first / last row). */
  indexAt(offset: number): number {
    if (this.size === 0) return 0;
    if (offset <= 0) return 0;
    let pos = 0;
    let remaining = offset;
    let step = 1;
    while (step * 2 <= this.size) step *= 2;
    for (; step > 0; step >>= 1) {
      const next = pos + step;
      const value = this.tree[next] ?? 0;
      if (next <= this.size && value <= remaining) {
        pos = next;
        remaining -= value;
      }
    }
    return Math.min(pos, this.size - 1);
  }

  /** Adds `count` rows of estimated height before the first row (older history arrived). */
  prepend(count: number): void {
    this.resize(count, 0);
  }

  /** Adds `count` rows of estimated height after the last row (new messages arrived). */
  append(count: number): void {
    this.resize(0, count);
  }

  private resize(before: number, after: number): void {
    if (before === 0 && after === 0) return;
    const next = new Float64Array(this.size + before + after).fill(this.estimate);
    next.set(this.heights, before);
    this.heights = next;
    this.size = next.length;
    this.tree = new Float64Array(this.size + 1);
    this.rebuild();
  }

  private rebuild(): void {
    for (let i = 1; i <= this.size; i++) {
      this.tree[i] = (this.tree[i] ?? 0) + (this.heights[i - 1] ?? 0);
      const parent = i + (i & -i);
      if (parent <= this.size) this.tree[parent] = (this.tree[parent] ?? 0) + (this.tree[i] ?? 0);
    }
  }

  private prefix(end: number): number {
    let sum = 0;
    for (let i = end; i > 0; i -= i & -i) sum += this.tree[i] ?? 0;
    return sum;
  }
}

export interface VisibleWindow {
  /** First row to render (inclusive). */
  start: number;
  /** Last row to render (exclusive). */
  end: number;
}

/** Rows to render for a viewport, with `overscan` extra rows on each side. */
export function visibleWindow(
  index: HeightIndex,
  scrollTop: number,
  viewportHeight: number,
  overscan: number,
): VisibleWindow {
  if (index.count === 0) return { start: 0, end: 0 };
  const first = index.indexAt(scrollTop);
  const last = index.indexAt(scrollTop + Math.max(0, viewportHeight - 1));
  return {
    start: Math.max(0, first - overscan),
    end: Math.min(index.count, last + 1 + overscan),
  };
}

/** Whether the viewport is within `slack` pixels of the end of the content. */
export function isAtBottom(scrollTop: number, viewportHeight: number, total: number, slack: number): boolean {
  return total - (scrollTop + viewportHeight) <= slack;
}
