// Channel info: title, subscribers, description, link (public), topic, language and role;
// owners and admins can make an invite link; subscribers and admins can leave; a preview
// can be subscribed to.

import { Show, createSignal, createUniqueId, type JSX } from 'solid-js';
import { Avatar } from '../components/Avatar';
import { Dialog } from '../components/Dialog';
import { Icon } from '../components/Icon';
import type { MessageKey } from '../i18n';
import { canPost, channelLink, languageName, topicLabel } from '../lib/channels';
import type { ChannelInfo, ChannelRole } from '../platform/types';
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
  const [invite, setInvite] = createSignal<string | null>(null);
  const [copied, setCopied] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const inviteId = createUniqueId();
  const inviteHintId = createUniqueId();

  const run = async (action: () => Promise<void>): Promise<void> => {
    setError(null);
    setBusy(true);
    try {
      await action();
    } catch (err) {
      setError(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };
  const createInvite = (): void => {
    void run(async () => {
      const { link } = await app.platform.createInvite(channel().id);
      setCopied(false);
      setInvite(link);
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
      </Show>
      <Show when={error()}>
        {(text) => (
          <p class="form-error" role="alert" data-testid="form-error">
            {text()}
          </p>
        )}
      </Show>
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
