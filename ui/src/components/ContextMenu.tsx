// A popup menu at a point: arrow keys move, Enter picks, Esc or a click outside closes. An
// optional header (e.g. a row of quick reactions) comes first; focus starts on the first item.

import { For, onCleanup, onMount, type JSX } from 'solid-js';
import { Portal } from 'solid-js/web';
import { Icon, type IconName } from './Icon';

export interface MenuItem {
  label: string;
  icon: IconName;
  testId: string;
  danger?: boolean;
  /** A check box item (`menuitemcheckbox`), checked or not; absent: a plain item. */
  checked?: boolean;
  /**
   * Why it cannot be chosen now (its title and description); it stays in the arrow-key order,
   * `aria-disabled`, and choosing it does nothing.
   */
  disabledReason?: string;
  run: () => void;
}

export function ContextMenu(props: {
  x: number;
  y: number;
  label: string;
  items: MenuItem[];
  /** The menu's `data-testid` (default `context-menu`). */
  testId?: string;
  /** Shown above the items; its own `role="menuitem"` elements join the arrow-key order. */
  header?: JSX.Element;
  onClose: () => void;
}): JSX.Element {
  let menu!: HTMLDivElement;
  const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const items = (): HTMLElement[] => [
    ...menu.querySelectorAll<HTMLElement>('[role="menuitem"], [role="menuitemcheckbox"]'),
  ];
  const onOutside = (event: MouseEvent): void => {
    if (!(event.target instanceof Node) || !menu.contains(event.target)) props.onClose();
  };
  onMount(() => {
    const width = menu.offsetWidth;
    const height = menu.offsetHeight;
    menu.style.left = `${Math.max(4, Math.min(props.x, window.innerWidth - width - 4))}px`;
    menu.style.top = `${Math.max(4, Math.min(props.y, window.innerHeight - height - 4))}px`;
    (menu.querySelector<HTMLElement>('.menu-item') ?? items()[0])?.focus();
    document.addEventListener('mousedown', onOutside, true);
  });
  onCleanup(() => {
    document.removeEventListener('mousedown', onOutside, true);
    previous?.focus();
  });
  const onKeyDown = (event: KeyboardEvent): void => {
    const all = items();
    const at = all.indexOf(document.activeElement as HTMLElement);
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      all[(at + step + all.length) % all.length]?.focus();
    } else if (event.key === 'Escape' || event.key === 'Tab') {
      event.preventDefault();
      event.stopPropagation();
      props.onClose();
    }
  };
  return (
    <Portal>
      <div
        ref={menu}
        class="context-menu"
        role="menu"
        aria-label={props.label}
        data-testid={props.testId ?? 'context-menu'}
        style={{ left: `${props.x}px`, top: `${props.y}px` }}
        onKeyDown={onKeyDown}
      >
        {props.header}
        <For each={props.items}>
          {(item) => (
            <button
              type="button"
              role={item.checked === undefined ? 'menuitem' : 'menuitemcheckbox'}
              aria-checked={item.checked}
              aria-disabled={item.disabledReason !== undefined ? 'true' : undefined}
              aria-description={item.disabledReason}
              title={item.disabledReason}
              class={item.danger === true ? 'menu-item danger' : 'menu-item'}
              data-testid={item.testId}
              tabIndex={-1}
              onClick={() => {
                if (item.disabledReason !== undefined) return;
                props.onClose();
                item.run();
              }}
            >
              <Icon name={item.icon} size={20} />
              <span>{item.label}</span>
            </button>
          )}
        </For>
      </div>
    </Portal>
  );
}
