// Offered for a `wren://join/…` link: join the private channel it invites to?

import { createSignal, type JSX } from 'solid-js';
import { Dialog } from '../components/Dialog';
import { FormError } from '../components/FormError';
import type { MessageKey, Params } from '../i18n';
import { toErrorInfo } from '../platform/errors';
import type { ChannelInfo } from '../platform/types';
import { useApp } from '../stores/app';
import { errorText } from './errorText';

/** A failed `joinChannel`: a link that does not work says so; anything else as usual. */
export function joinErrorText(t: (key: MessageKey, params?: Params) => string, error: unknown): string {
  const code = toErrorInfo(error).code;
  if (code === 'not_found' || code === 'bad_request' || code === 'invalid') return t('join.invalid');
  return errorText(t, error);
}

export function JoinChannelDialog(props: {
  link: string;
  onClose: () => void;
  onJoined: (channel: ChannelInfo) => void;
}): JSX.Element {
  const app = useApp();
  const t = app.settings.t;
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const join = async (event: Event): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      props.onJoined(await app.platform.joinChannel(props.link));
    } catch (err) {
      setError(joinErrorText(t, err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title={t('join.title')} testId="join-channel-dialog" onClose={props.onClose}>
      <form class="form" onSubmit={join}>
        <p>{t('join.explain')}</p>
        <p class="muted invite-text" dir="ltr" data-testid="join-channel-link">
          {props.link}
        </p>
        <FormError message={error()} />
        <div class="form-actions">
          <button type="button" class="button" onClick={() => props.onClose()}>
            {t('common.cancel')}
          </button>
          <button type="submit" class="button primary" disabled={busy()} data-testid="join-channel-submit">
            {t('join.submit')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
