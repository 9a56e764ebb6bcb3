// Small marks next to a chat's title: the lock of an end-to-end encrypted chat (or a quiet
// "setting up" mark while this device is not in the chat's encryption group yet), and the
// mark of a contact whose safety number the user verified. Each is an image with a name
// (read as part of the header button) and a tooltip with the same text.

import { Match, Switch, type JSX } from 'solid-js';
import type { ChatEncryption } from '../platform/types';
import { useApp } from '../stores/app';
import { Icon, type IconName } from './Icon';

function Mark(props: { icon: IconName; label: string; class?: string; testId: string }): JSX.Element {
  return (
    <span
      class={`security-mark ${props.class ?? ''}`}
      role="img"
      aria-label={props.label}
      title={props.label}
      data-testid={props.testId}
    >
      <Icon name={props.icon} size={16} />
    </span>
  );
}

/** Nothing until the host answered; `null`: not in the encryption group yet. */
export function EncryptionMark(props: { encryption: ChatEncryption | null | undefined }): JSX.Element {
  const t = useApp().settings.t;
  return (
    <Switch>
      <Match when={props.encryption === null}>
        <Mark icon="clock" label={t('chat.encryptionPending')} testId="chat-encryption-pending" />
      </Match>
      <Match when={props.encryption}>
        <Mark icon="lock" label={t('chat.encrypted')} testId="chat-lock" />
      </Match>
    </Switch>
  );
}

export function VerifiedMark(): JSX.Element {
  const t = useApp().settings.t;
  return <Mark icon="verified" label={t('chat.verified')} class="verified" testId="verified-mark" />;
}
