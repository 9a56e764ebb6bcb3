// One row of the channel list: avatar, megaphone and title (and a crossed-out bell when
// muted on this device), then the @handle (or "Private channel") and the subscriber count.
// Only the list's tab stop is in the Tab order.

import { Show, type JSX } from 'solid-js';
import type { ChannelInfo } from '../platform/types';
import { useApp } from '../stores/app';
import { Avatar } from './Avatar';
import { Icon } from './Icon';

export function ChannelListItem(props: {
  channel: ChannelInfo;
  active: boolean;
  /** The one row of the list that Tab reaches. */
  tabStop: boolean;
  onOpen: () => void;
}): JSX.Element {
  const app = useApp();
  const settings = app.settings;
  const t = settings.t;
  const subscribers = (): string => settings.plural('channel.subscribers', props.channel.subscribers);
  const muted = (): boolean => app.channels.isMuted(props.channel.id);
  return (
    <li role="presentation">
      <button
        type="button"
        role="option"
        class="chat-item"
        classList={{ active: props.active }}
        aria-selected={props.active}
        tabIndex={props.tabStop ? 0 : -1}
        data-testid={`channel-item-${props.channel.id}`}
        onClick={() => props.onOpen()}
      >
        <Avatar name={props.channel.title} id={props.channel.id} size="large" />
        <span class="chat-item-body">
          <span class="chat-item-top">
            <span class="chat-item-title" dir="auto" data-testid="channel-item-title">
              <Icon name="megaphone" size={16} class="chat-kind" />
              <bdi>{props.channel.title}</bdi>
            </span>
            <Show when={muted()}>
              <span class="visually-hidden">{`${t('common.listSeparator')}${t('channel.muted')}`}</span>
              <span class="pin-mark muted-mark" data-testid="channel-muted-mark" aria-hidden="true" title={t('channel.muted')}>
                <Icon name="bellOff" size={16} />
              </span>
            </Show>
            <span class="visually-hidden">{t('common.listSeparator')}</span>
          </span>
          <span class="chat-item-bottom">
            <span class="chat-item-preview" dir="auto">
              {props.channel.handle !== null ? <bdi>@{props.channel.handle}</bdi> : t('channel.private')}
              {' · '}
              {subscribers()}
            </span>
          </span>
        </span>
      </button>
    </li>
  );
}
