// The safety number with the contact of a direct chat: sixty digits to compare with theirs
// (the same as `wren verify @user` prints), what they cover, and the verified mark.

import { For, Show, createSignal, onMount, type JSX } from 'solid-js';
import { Dialog } from '../components/Dialog';
import { FormError } from '../components/FormError';
import { Icon } from '../components/Icon';
import { contactOf } from '../lib/chats';
import type { Account, ChatSummary, SafetyNumber } from '../platform/types';
import { useApp } from '../stores/app';
import { errorText } from './errorText';

/**
 * Twelve groups of five in a grid; the text is the digits exactly as the host gave them
 * (groups separated by single spaces), in Latin digits and left to right in every language.
 */
function SafetyDigits(props: { digits: string }): JSX.Element {
  return (
    <p class="safety-digits" dir="ltr" translate="no" data-testid="safety-number-digits">
      <For each={props.digits.split(' ')}>
        {(group, i) => (
          <>
            {i() > 0 ? ' ' : ''}
            <span class="safety-group">{group}</span>
          </>
        )}
      </For>
    </p>
  );
}

export function SafetyNumberDialog(props: { chat: ChatSummary; onClose: () => void }): JSX.Element {
  const app = useApp();
  const t = app.settings.t;
  const chat = () => app.chats.byId(props.chat.id) ?? props.chat;
  const contact = (): Account | null => contactOf(chat(), app.session.account()?.id);
  const number = (): SafetyNumber | undefined => {
    const peer = contact();
    return peer === null ? undefined : app.security.safetyNumber(peer.id);
  };
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);

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
  onMount(() => {
    const peer = contact();
    if (peer !== null) void run(() => app.security.loadSafetyNumber(peer.id));
  });
  const status = (n: SafetyNumber, name: string): string => {
    if (n.verified) return t('safety.isVerified');
    return n.changed ? t('safety.changed', { name }) : t('safety.notVerified');
  };

  return (
    <Dialog title={t('safety.title')} testId="safety-number-dialog" onClose={props.onClose}>
      <Show when={contact()}>
        {(peer) => (
          <div class="safety-number">
            <p class="safety-explain">{t('safety.explain', { name: app.people.name(peer()) })}</p>
            <Show when={number()} fallback={<p class="muted">{t('common.loading')}</p>}>
              {(n) => (
                <>
                  <SafetyDigits digits={n().digits} />
                  <p class="muted" data-testid="safety-number-source">
                    {app.settings.plural('safety.devices', n().contactDevices)}{' '}
                    {n().fromChat ? t('safety.fromChat') : t('safety.fromServer')}
                  </p>
                  <p
                    class="safety-status"
                    classList={{ verified: n().verified, changed: n().changed }}
                    role="status"
                    data-testid="safety-number-status"
                  >
                    <Icon name={n().verified ? 'verified' : n().changed ? 'warning' : 'info'} size={20} />
                    <span>{status(n(), app.people.name(peer()))}</span>
                  </p>
                  <div class="form-actions">
                    <button
                      type="button"
                      class="button"
                      classList={{ primary: !n().verified }}
                      data-testid="safety-number-verify"
                      onClick={() => !busy() && void run(() => app.security.setVerified(peer().id, !n().verified))}
                    >
                      {n().verified ? t('safety.clearVerified') : t('safety.markVerified')}
                    </button>
                  </div>
                </>
              )}
            </Show>
          </div>
        )}
      </Show>
      <FormError message={error()} />
    </Dialog>
  );
}
