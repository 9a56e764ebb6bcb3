// Interface scale: the root font size in percent. Every size in the stylesheet is in rem,
// so the whole interface grows with it.

export const SCALES: readonly number[] = [100, 110, 125, 150, 175, 200];
export const DEFAULT_SCALE = 100;

export function isScale(value: unknown): value is number {
  return typeof value === 'number' && SCALES.includes(value);
}

/** The next larger (step 1) or smaller (step -1) scale, stopping at 100% and 200%. */
export function stepScale(current: number, step: 1 | -1): number {
  const larger = SCALES.filter((s) => s > current);
  const smaller = SCALES.filter((s) => s < current);
  const next = step === 1 ? larger[0] : smaller[smaller.length - 1];
  return next ?? current;
}

export function applyScale(root: HTMLElement, scale: number): void {
  root.style.fontSize = `${scale}%`;
}
