// Shutting the rest of the page off while a modal dialog is open.

/**
 * Puts `inert` on everything in <body> except the `keep` elements (and the ancestors they
 * need): no focus, clicks or screen-reader browsing there. Returns the undo, which leaves
 * alone what was inert before.
 */
export function inertOutside(keep: readonly Element[]): () => void {
  const made: Element[] = [];
  const visit = (parent: Element): void => {
    for (const child of parent.children) {
      if (keep.includes(child) || child.hasAttribute('inert') || child instanceof HTMLScriptElement) continue;
      if (keep.some((k) => child.contains(k))) {
        visit(child);
      } else {
        child.setAttribute('inert', '');
        made.push(child);
      }
    }
  };
  const body = keep[0]?.ownerDocument.body;
  if (body !== undefined) visit(body);
  return () => {
    for (const element of made) element.removeAttribute('inert');
  };
}
