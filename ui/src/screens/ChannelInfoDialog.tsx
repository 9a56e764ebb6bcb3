// Channel info: title, subscribers, description, link (public), topic, language and role;
// owners and admins can make (and revoke) invite links, see the admins and the sponsored
// earnings, and the owner can add and remove admins; subscribers and admins can leave; a
// preview can be subscribed to.

import { For, Index, Show, createSignal, createUniqueId, onMount, type JSX } from 'solid-js';
import { Avatar } from '../components/Avatar';
import { Dialog } from '../components/Dialog';
import { FormError } from '../components/FormError';
import { Icon } from '../components/Icon';
import type { MessageKey } from '../i18n';
import { formatCredits, formatNumber } from '../i18n/locale';
import { canPost, channelLink, languageName, topicLabel } from '../lib/channels';
import { nameOf } from '../lib/profile';
import { toErrorInfo } from '../platform/errors';
import type { ChannelAdmin, ChannelEarnings, ChannelInfo, ChannelRole } from '../platform/types';
import { useApp } from '../stores/app';
import { errorText } from './errorText';

const ROLE_KEYS: Record<ChannelRole, MessageKey> = {
  owner: 'channel.roleOwner',
  admin: 'channel.roleAdmin',
  subscriber: 'channel.roleSubscriber',
};

export function ChannelInfoDialog(props: { channel: ChannelInfo; onClose: () => void }): JSX.Element {
  const app = useApp();
  const t = app.settings.t;
  const channel = (): ChannelInfo => app.channels.byId(props.channel.id) ?? props.channel;
  const [copied, setCopied] = createSignal(false);
  const invites = () => app.channels.invites(channel().id);
  /** The newest link made this session, while it works. */
  const invite = (): string | null => {
    const newest = invites().at(-1);
    return newest === undefined || newest.revoked ? null : newest.link;
  };
  const [admins, setAdmins] = createSignal<ChannelAdmin[] | null>(null);
  const [earnings, setEarnings] = createSignal<ChannelEarnings | null>(null);
  const [newAdmin, setNewAdmin] = createSignal('');
  const isOwner = (): boolean => channel().role === 'owner';
  const adminInputId = createUniqueId();
  const adminsTitleId = createUniqueId();
  const earningsTitleId = createUniqueId();
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const inviteId = createUniqueId();
  const inviteHintId = createUniqueId();

  const run = async (action: () => Promise<void>, describe = (err: unknown) => errorText(t, err)): Promise<void> => {
    setError(null);
    setBusy(true);
    try {
      await action();
    } catch (err) {
      setError(describe(err));
    } finally {
      setBusy(false);
    }
  };
  const createInvite = (): void => {
    void run(async () => {
      const { link } = await app.platform.createInvite(channel().id);
      setCopied(false);
      app.channels.addInvite(channel().id, link);
    });
  };
  let createButton: HTMLButtonElement | undefined;
  const revokeInvite = (link: string): void => {
    let revoked = false;
    void run(async () => {
      await app.channels.revokeInvite(channel().id, link);
      revoked = true;
    }).then(() => {
      // The focused Revoke button is gone with the link: focus goes to making a new one.
      if (revoked) createButton?.focus();
    });
  };

  const loadAdmins = async (): Promise<void> => {
    setAdmins(await app.platform.channelAdmins(channel().id));
  };
  onMount(() => {
    if (!canPost(channel())) return;
    loadAdmins().catch((err: unknown) => setError(errorText(t, err)));
    app.platform
      .channelEarnings(channel().id)
      .then(setEarnings)
      .catch((err: unknown) => setError(errorText(t, err)));
  });
  const addAdmin = (event: SubmitEvent): void => {
    event.preventDefault();
    const username = newAdmin().trim().replace(/^@/, '');
    if (username === '') return;
    void run(
      async () => {
        try {
          await app.platform.setChannelAdmin(channel().id, username, true);
          setNewAdmin('');
        } finally {
          await loadAdmins().catch(() => undefined);
        }
      },
      // The host's not_found: that user is not a subscriber (or does not exist).
      (err) => (toErrorInfo(err).code === 'not_found' ? t('channel.adminNotFound', { name: username }) : errorText(t, err)),
    );
  };
  const removeAdmin = (admin: ChannelAdmin): void => {
    void run(async () => {
      try {
        await app.platform.setChannelAdmin(channel().id, admin.account.username, false);
      } finally {
        await loadAdmins().catch(() => undefined);
      }
    });
  };
  const copy = (text: string): void => {
    void navigator.clipboard
      ?.writeText(text)
      .then(() => setCopied(true))
      .catch(() => undefined);
  };
  const leave = (): void => {
    void run(async () => {
      await app.platform.leaveChannel(channel().id);
      if (app.activeChannel() === channel().id) app.openChannel(null);
      props.onClose();
    });
  };
  const subscribe = (): void => {
    void run(async () => {
      app.channels.put(await app.platform.subscribe(channel().id));
    });
  };

  return (
    <Dialog title={t('channel.info')} testId="channel-info-dialog" onClose={props.onClose}>
      <div class="info-hero">
        <Avatar name={channel().title} id={channel().id} size="large" />
        <div>
          <div class="info-title" dir="auto" data-testid="channel-info-title">
            <bdi>{channel().title}</bdi>
          </div>
          <div class="info-subtitle" data-testid="channel-info-subscribers">
            {app.settings.plural('channel.subscribers', channel().subscribers)}
          </div>
        </div>
      </div>
      <dl class="info-list">
        <Show when={channel().description !== ''}>
          <dt>{t('channel.description')}</dt>
          <dd class="info-description" dir="auto" data-testid="channel-info-description">
            {channel().description}
          </dd>
        </Show>
        <Show when={channel().handle}>
          {(handle) => (
            <>
              <dt>{t('channel.link')}</dt>
              <dd class="info-link">
                <bdi data-testid="channel-info-handle">@{handle()}</bdi>
                <span class="muted" dir="ltr">
                  {channelLink(handle())}
                </span>
              </dd>
            </>
          )}
        </Show>
        <Show when={channel().handle === null}>
          <dt>{t('newChannel.visibility')}</dt>
          <dd>{t('channel.private')}</dd>
        </Show>
        <dt>{t('channel.topic')}</dt>
        <dd data-testid="channel-info-topic">{topicLabel(t, channel().topic)}</dd>
        <dt>{t('channel.language')}</dt>
        <dd data-testid="channel-info-language">{languageName(channel().language, app.settings.lang())}</dd>
        <Show when={channel().role}>
          {(role) => (
            <>
              <dt>{t('channel.role')}</dt>
              <dd data-testid="channel-info-role">{t(ROLE_KEYS[role()])}</dd>
            </>
          )}
        </Show>
      </dl>
      <p class="muted info-note">{t('channel.notEncrypted')}</p>
      <Show when={canPost(channel())}>
        <div class="form-actions start">
          <button
            type="button"
            class="button"
            disabled={busy()}
            data-testid="channel-invite-create"
            ref={createButton}
            onClick={createInvite}
          >
            <Icon name="link" size={20} />
            <span>{t('channel.createInvite')}</span>
          </button>
        </div>
        <Show when={invite()}>
          {(link) => (
            <div class="field">
              <label for={inviteId}>{t('channel.inviteLink')}</label>
              <div class="inline-form">
                <input
                  id={inviteId}
                  class="grow invite-link"
                  readOnly
                  dir="ltr"
                  value={link()}
                  aria-describedby={inviteHintId}
                  data-testid="channel-invite-link"
                  onFocus={(e) => e.currentTarget.select()}
                  ref={(el) => queueMicrotask(() => el.focus())}
                />
                <button type="button" class="button" data-testid="channel-invite-copy" onClick={() => copy(link())}>
                  {copied() ? t('channel.copied') : t('channel.copyLink')}
                </button>
              </div>
              <span id={inviteHintId}>{t('channel.inviteHint')}</span>
            </div>
          )}
        </Show>
        <Show when={invites().length > 0}>
          <h3 class="section-title">{t('channel.invites')}</h3>
          <ul class="member-list" data-testid="channel-invites">
            <Index each={invites()}>
              {(entry) => (
                <li class="member invite-row" data-testid="channel-invite" data-revoked={entry().revoked ? 'true' : 'false'}>
                  <span class="member-name invite-code" dir="ltr" classList={{ revoked: entry().revoked }}>
                    {entry().link}
                  </span>
                  <Show
                    when={!entry().revoked}
                    fallback={
                      <span class="muted" data-testid="invite-revoked">
                        {t('channel.inviteRevoked')}
                      </span>
                    }
                  >
                    <button
                      type="button"
                      class="button danger"
                      disabled={busy()}
                      aria-label={t('channel.revokeInviteLabel')}
                      data-testid="invite-revoke"
                      onClick={() => revokeInvite(entry().link)}
                    >
                      {t('channel.revokeInvite')}
                    </button>
                  </Show>
                </li>
              )}
            </Index>
          </ul>
        </Show>
        <section aria-labelledby={adminsTitleId}>
          <h3 class="section-title" id={adminsTitleId}>
            {t('channel.admins')}
          </h3>
          <ul class="member-list" data-testid="channel-admins" aria-busy={admins() === null}>
            <For each={admins() ?? []}>
              {(admin) => (
                <li class="member" data-testid={`channel-admin-${admin.account.id}`} data-role={admin.role}>
                  <Avatar name={nameOf(admin.account)} id={admin.account.id} size="small" />
                  <span class="member-names">
                    <span class="member-name" dir="auto">
                      <bdi>{nameOf(admin.account)}</bdi>
                    </span>
                    <span class="member-username" dir="auto">
                      <bdi>@{admin.account.username}</bdi>
                    </span>
                  </span>
                  <span class="role-tag">{t(ROLE_KEYS[admin.role])}</span>
                  <Show when={isOwner() && admin.role === 'admin'}>
                    <button
                      type="button"
                      class="icon-button small"
                      disabled={busy()}
                      aria-label={t('channel.removeAdmin', { name: nameOf(admin.account) })}
                      title={t('channel.removeAdmin', { name: nameOf(admin.account) })}
                      data-testid={`channel-admin-remove-${admin.account.id}`}
                      onClick={() => removeAdmin(admin)}
                    >
                      <Icon name="close" size={18} />
                    </button>
                  </Show>
                </li>
              )}
            </For>
          </ul>
          <Show when={isOwner()}>
            <form class="inline-form" onSubmit={addAdmin}>
              <label class="field grow" for={adminInputId}>
                <span>{t('channel.addAdmin')}</span>
                <input
                  id={adminInputId}
                  value={newAdmin()}
                  placeholder={t('channel.addAdminPlaceholder')}
                  onInput={(e) => setNewAdmin(e.currentTarget.value)}
                  autocomplete="off"
                  spellcheck={false}
                  dir="auto"
                  data-testid="channel-admin-add"
                />
              </label>
              <button
                type="submit"
                class="button"
                disabled={busy() || newAdmin().trim() === ''}
                data-testid="channel-admin-add-submit"
              >
                {t('channel.addAdmin')}
              </button>
            </form>
          </Show>
        </section>
        <Show when={earnings()}>
          {(e) => (
            <section aria-labelledby={earningsTitleId} data-testid="channel-earnings">
              <h3 class="section-title" id={earningsTitleId}>
                {t('channel.earnings')}
              </h3>
              <dl class="info-list">
                <dt>{t('channel.earningsShown')}</dt>
                <dd data-testid="channel-earnings-shown">{formatNumber(e().shown, app.settings.lang())}</dd>
                <dt>{t('channel.earningsShare')}</dt>
                <dd data-testid="channel-earnings-credits">
                  {t('channel.credits', { amount: formatCredits(e().creditsMilli, app.settings.lang()) })}
                </dd>
              </dl>
              <p class="muted info-note">{t('channel.earningsNote')}</p>
            </section>
          )}
        </Show>
      </Show>
      <FormError message={error()} />
      <div class="form-actions">
        <Show when={channel().role === null}>
          <button type="button" class="button primary" disabled={busy()} onClick={subscribe} data-testid="channel-info-subscribe">
            {t('channel.subscribe')}
          </button>
        </Show>
        <Show when={channel().role === 'subscriber' || channel().role === 'admin'}>
          <button type="button" class="button danger" disabled={busy()} onClick={leave} data-testid="channel-info-leave">
            {t('channel.leave')}
          </button>
        </Show>
      </div>
    </Dialog>
  );
}
