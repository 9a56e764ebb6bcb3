// Chat info: the members of a group with admin actions (rename, add, remove), or the peer
// of a direct chat (name, @username, bio) with the way to its safety number.

import { For, Show, createMemo, createResource, createSignal, createUniqueId, type JSX } from 'solid-js';
import { Avatar } from '../components/Avatar';
import { Dialog } from '../components/Dialog';
import { FormError } from '../components/FormError';
import { Icon } from '../components/Icon';
import { PeopleField } from '../components/PeopleField';
import { contactOf, displayTitle, hasSealedTitle } from '../lib/chats';
import type { Account, ChatSummary } from '../platform/types';
import { useApp } from '../stores/app';
import { errorText } from './errorText';

export function ChatInfoDialog(props: { chat: ChatSummary; onClose: () => void }): JSX.Element {
  const app = useApp();
  const t = app.settings.t;
  const chat = () => app.chats.byId(props.chat.id) ?? props.chat;
  const me = () => app.session.account();
  const isAdmin = () => chat().members.some((m) => m.account.id === me()?.id && m.role === 'admin');
  // What the admin typed; until then the current title, which is "" (never the placeholder)
  // while a group's sealed title cannot be opened yet, and fills in once it can.
  const [typed, setTitle] = createSignal<string | null>(null);
  const title = (): string => typed() ?? (hasSealedTitle(chat()) ? '' : chat().title);
  const [newMember, setNewMember] = createSignal('');
  const [error, setError] = createSignal<string | null>(null);
  const encryptionId = createUniqueId();
  /** The other person of a direct chat, as last heard of (the same until their name changes). */
  const peer = createMemo(
    (): Account | null => {
      const contact = contactOf(chat(), me()?.id);
      return contact === null ? null : app.people.latest(contact);
    },
    null,
    { equals: (a, b) => a?.id === b?.id && a?.displayName === b?.displayName },
  );
  // The peer's bio, asked again when their name changes (a new profile); "" when it cannot be had.
  const [bio] = createResource(
    () => peer() ?? false,
    (account): Promise<string> =>
      app.platform.profile(account.id).then(
        (profile) => profile.bio,
        () => '',
      ),
  );
  /** The name at the top: a direct chat's peer by their newest name, else the chat's title. */
  const heading = (): string => {
    const p = peer();
    return p === null ? displayTitle(chat(), t) : app.people.name(p);
  };

  const run = async (action: () => Promise<void>): Promise<void> => {
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(errorText(t, err));
    }
  };
  const rename = (event: Event): void => {
    event.preventDefault();
    if (title().trim() !== '' && title().trim() !== chat().title) {
      void run(() => app.platform.rename(chat().id, title().trim()));
    }
  };
  const add = (event: Event): void => {
    event.preventDefault();
    const name = newMember().trim().replace(/^@/, '');
    if (name === '') return;
    void run(async () => {
      await app.platform.addMember(chat().id, name);
      setNewMember('');
    });
  };
  const leave = (): void => {
    void run(async () => {
      await app.platform.leave(chat().id);
      props.onClose();
    });
  };

  return (
    <Dialog
      title={chat().kind === 'group' ? t('group.title') : t('chat.info')}
      testId="chat-info-dialog"
      onClose={props.onClose}
    >
      <div class="info-hero">
        <Avatar name={heading()} id={chat().id} size="large" />
        <div>
          <div class="info-title" dir="auto" data-testid="info-title">
            <bdi>{heading()}</bdi>
          </div>
          <Show when={peer()}>
            {(p) => (
              <div class="info-username" dir="auto" data-testid="chat-info-username">
                <bdi>@{p().username}</bdi>
              </div>
            )}
          </Show>
          <div class="info-subtitle">
            {chat().kind === 'group' ? app.settings.plural('chat.members', chat().members.length) : t('chat.direct')}
          </div>
        </div>
      </div>
      <Show when={peer() !== null && (bio() ?? '') !== ''}>
        <p class="info-bio" dir="auto" data-testid="chat-info-bio">
          <bdi>{bio()}</bdi>
        </p>
      </Show>
      <Show when={chat().kind === 'direct'}>
        <section aria-labelledby={encryptionId}>
          <h3 id={encryptionId} class="section-title">
            {t('safety.section')}
          </h3>
          <Show when={app.security.encryption(chat().id) !== undefined}>
            <p class="muted" data-testid="info-encryption">
              {app.security.encryption(chat().id) ? t('chat.encrypted') : t('chat.encryptionPending')}
            </p>
          </Show>
          <div class="form-actions start">
            <button
              type="button"
              class="button"
              aria-haspopup="dialog"
              data-testid="safety-number-open"
              onClick={() => app.setDialog('safetyNumber')}
            >
              {t('safety.open')}
            </button>
          </div>
        </section>
      </Show>
      <Show when={chat().kind === 'group' && isAdmin()}>
        <form class="inline-form" onSubmit={rename}>
          <label class="field grow">
            <span>{t('group.rename')}</span>
            <input value={title()} onInput={(e) => setTitle(e.currentTarget.value)} data-testid="group-title-input" />
          </label>
          <button type="submit" class="button" data-testid="group-rename">
            {t('common.save')}
          </button>
        </form>
      </Show>
      <Show when={chat().kind === 'group'}>
        <h3 class="section-title">{t('group.members')}</h3>
        <ul class="member-list" data-testid="member-list">
          <For each={chat().members}>
            {(member) => (
              <li class="member" data-testid={`member-${member.account.id}`}>
                <Avatar name={app.people.name(member.account)} id={member.account.id} size="small" />
                <span class="member-names">
                  <span class="member-name" dir="auto" data-testid="member-name">
                    <bdi>{app.people.name(member.account)}</bdi>
                  </span>
                  <span class="member-username" dir="auto" data-testid="member-username">
                    <bdi>@{member.account.username}</bdi>
                  </span>
                </span>
                <Show when={member.role === 'admin'}>
                  <span class="role-tag">{t('group.admin')}</span>
                </Show>
                <Show when={isAdmin() && member.account.id !== me()?.id}>
                  <button
                    type="button"
                    class="icon-button small"
                    aria-label={t('group.remove', { name: app.people.name(member.account) })}
                    title={t('group.remove', { name: app.people.name(member.account) })}
                    data-testid={`remove-member-${member.account.id}`}
                    onClick={() => void run(() => app.platform.removeMember(chat().id, member.account.id))}
                  >
                    <Icon name="close" size={18} />
                  </button>
                </Show>
              </li>
            )}
          </For>
        </ul>
        <Show when={isAdmin()}>
          <form class="inline-form" onSubmit={add}>
            <PeopleField
              label={t('group.add')}
              value={newMember()}
              placeholder={t('group.addPlaceholder')}
              onInput={setNewMember}
              testId="add-member-input"
              exclude={chat().members.map((m) => m.account.id)}
              grow
            />
            <button type="submit" class="button" data-testid="add-member-submit">
              {t('group.add')}
            </button>
          </form>
        </Show>
      </Show>
      <FormError message={error()} />
      <Show when={chat().kind === 'group'}>
        <div class="form-actions">
          <button type="button" class="button danger" onClick={leave} data-testid="leave-group">
            {chat().isMember ? t('group.leave') : t('group.delete')}
          </button>
        </div>
      </Show>
    </Dialog>
  );
}
