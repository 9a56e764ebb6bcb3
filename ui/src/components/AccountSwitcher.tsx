// The account switcher at the top of the sidebar, as in Telegram Desktop: the active account's
// avatar with the unread count of the other accounts, opening a menu of every account slot in
// Ctrl+1..3 order (choosing another one switches to it, and the page starts again from it),
// then "Add account" (disabled, saying why, once `MAX_ACCOUNTS` are there).

import { Index, Show, createMemo, createSignal, type Accessor, type JSX } from 'solid-js';
import { formatNumber } from '../i18n/locale';
import { nameOf } from '../lib/profile';
import { MAX_ACCOUNTS, type Account, type AccountSlot } from '../platform/types';
import { errorText } from '../screens/errorText';
import { useApp } from '../stores/app';
import { Avatar } from './Avatar';
import { ContextMenu, type MenuItem } from './ContextMenu';
import { Icon } from './Icon';
import '../styles/accounts.css';

export function AccountSwitcher(props: {
  /** Shows why a switch or an add failed (e.g. during a call). */
  onError: (message: string) => void;
}): JSX.Element {
  const app = useApp();
  const { settings, accounts } = app;
  const t = settings.t;
  const [menu, setMenu] = createSignal<{ x: number; y: number } | null>(null);
  /** The signed-in account, with its newest name. */
  const me = (): Account | null => {
    const account = app.session.account();
    return account === null ? null : app.people.latest(account);
  };
  const unread = (): number => accounts.othersUnread();
  const label = (): string => {
    const who = me();
    const parts = [t('accounts.button', { name: who === null ? '' : nameOf(who) })];
    if (unread() > 0) parts.push(settings.plural('accounts.othersUnread', unread()));
    return parts.join(t('common.listSeparator'));
  };
  const fail = (error: unknown): void => props.onError(errorText(t, error));
  const choose = (slot: AccountSlot): void => {
    setMenu(null);
    if (!slot.active) accounts.switchTo(slot.id).catch(fail);
  };
  const full = createMemo(() => accounts.slots().length >= MAX_ACCOUNTS);
  // Made again only when it changes, so that a new unread count keeps the focus where it is.
  const addItem = createMemo(
    (): MenuItem => ({
      label: t('accounts.add'),
      icon: 'add',
      testId: 'add-account',
      ...(full() ? { disabledReason: settings.plural('accounts.full', MAX_ACCOUNTS) } : {}),
      run: () => void accounts.add().catch(fail),
    }),
  );

  const slotItem = (slot: Accessor<AccountSlot>, index: number): JSX.Element => {
    // Only the active account's newest name is known here: the others are other stores.
    const account = (): Account | null => (slot().active ? me() : slot().account);
    const name = (): string => {
      const who = account();
      return who === null ? t('accounts.notSignedIn') : nameOf(who);
    };
    return (
      <button
        type="button"
        role="menuitem"
        class="menu-item account-slot"
        aria-current={slot().active ? 'true' : undefined}
        aria-keyshortcuts={`Control+${index + 1}`}
        data-testid={`account-slot-${index}`}
        tabIndex={-1}
        onClick={() => choose(slot())}
      >
        <Avatar name={name()} id={account()?.id ?? 0} size="small" />
        <span class="account-slot-names">
          <span class="account-slot-name" dir="auto">
            <bdi>{name()}</bdi>
          </span>
          <Show when={account()}>
            {(who) => (
              <span class="account-slot-username" dir="auto">
                <bdi>@{who().username}</bdi>
              </span>
            )}
          </Show>
        </span>
        <Show when={!slot().active && slot().unread > 0}>
          <span class="visually-hidden">{`${t('common.listSeparator')}${settings.plural('chat.unread', slot().unread)}`}</span>
          <span class="unread-badge" data-testid="account-slot-unread" aria-hidden="true">
            {formatNumber(slot().unread, settings.lang())}
          </span>
        </Show>
        <Show when={slot().active}>
          <Icon name="check" size={20} />
        </Show>
        <kbd class="account-shortcut" dir="ltr" aria-hidden="true">{`Ctrl+${index + 1}`}</kbd>
      </button>
    );
  };

  return (
    <>
      <button
        type="button"
        class="icon-button account-button"
        aria-haspopup="menu"
        aria-expanded={menu() !== null}
        aria-label={label()}
        title={label()}
        data-testid="account-menu"
        onClick={(event) => {
          const box = event.currentTarget.getBoundingClientRect();
          setMenu({ x: box.left, y: box.bottom });
        }}
      >
        <Show when={me()}>{(who) => <Avatar name={nameOf(who())} id={who().id} size="small" />}</Show>
        <Show when={unread() > 0}>
          <span class="unread-badge account-badge" data-testid="other-accounts-unread" aria-hidden="true">
            {formatNumber(unread(), settings.lang())}
          </span>
        </Show>
      </button>
      <Show when={menu()}>
        {(at) => (
          <ContextMenu
            x={at().x}
            y={at().y}
            label={t('accounts.menu')}
            testId="account-switcher"
            header={<Index each={accounts.slots()}>{(slot, index) => slotItem(slot, index)}</Index>}
            items={[addItem()]}
            onClose={() => setMenu(null)}
          />
        )}
      </Show>
    </>
  );
}
