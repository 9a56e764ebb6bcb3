// A test aid for the virtualized lists: jsdom lays nothing out.

/** jsdom has no layout: give elements a viewport height and a scroll position that sticks. */
export function emulateScrolling(viewport: number): () => void {
  const proto = HTMLElement.prototype;
  const scrollTop = Object.getOwnPropertyDescriptor(Element.prototype, 'scrollTop');
  const clientHeight = Object.getOwnPropertyDescriptor(Element.prototype, 'clientHeight');
  const positions = new WeakMap<Element, number>();
  Object.defineProperty(proto, 'scrollTop', {
    configurable: true,
    get(this: HTMLElement) {
      return positions.get(this) ?? 0;
    },
    set(this: HTMLElement, value: number) {
      const spacer = this.firstElementChild as HTMLElement | null;
      const max = Math.max(0, parseFloat(spacer?.style.height ?? '0') - viewport);
      positions.set(this, Math.max(0, Math.min(value, max)));
    },
  });
  Object.defineProperty(proto, 'clientHeight', { configurable: true, get: () => viewport });
  return () => {
    delete (proto as { scrollTop?: number }).scrollTop;
    delete (proto as { clientHeight?: number }).clientHeight;
    if (scrollTop !== undefined) Object.defineProperty(Element.prototype, 'scrollTop', scrollTop);
    if (clientHeight !== undefined) Object.defineProperty(Element.prototype, 'clientHeight', clientHeight);
  };
}
