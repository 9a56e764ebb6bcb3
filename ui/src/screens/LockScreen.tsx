// The passcode prompt shown when the local profile is locked.

import { Show, createSignal, onMount, type JSX } from 'solid-js';
import { Icon } from '../components/Icon';
import { isStrongEnough } from '../lib/passcode';
import { useApp } from '../stores/app';
import { errorText } from './errorText';

export function LockScreen(): JSX.Element {
  const app = useApp();
  const t = app.settings.t;
  const [passcode, setPasscode] = createSignal('');
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  let input!: HTMLInputElement;
  // `autofocus` only counts when the page loads; the lock screen also replaces the chats.
  onMount(() => input.focus());
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    // A new passcode must be strong enough; an existing one is whatever it was.
    if (!app.session.profileExists() && !isStrongEnough(passcode())) {
      setError(t('errors.weak_passcode'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await app.session.unlock(passcode());
    } catch (err) {
      setError(errorText(t, err));
      setPasscode('');
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="auth-screen" data-testid="lock-screen">
      <form class="auth-card" aria-labelledby="lock-title" onSubmit={submit}>
        <div class="auth-logo" aria-hidden="true">
          <Icon name="lock" size={36} />
        </div>
        <h1 id="lock-title">{app.session.profileExists() ? t('lock.title') : t('lock.chooseTitle')}</h1>
        <p class="muted">{app.session.profileExists() ? t('lock.subtitle') : t('lock.chooseSubtitle')}</p>
        <label class="field">
          <span>{t('lock.passcode')}</span>
          <input
            ref={input}
            type="password"
            autofocus
            autocomplete={app.session.profileExists() ? 'current-password' : 'new-password'}
            value={passcode()}
            onInput={(e) => setPasscode(e.currentTarget.value)}
            aria-describedby={app.session.profileExists() ? undefined : 'lock-hint'}
            data-testid="lock-passcode"
          />
        </label>
        <Show when={!app.session.profileExists()}>
          <p id="lock-hint" class="muted" data-testid="lock-hint">
            {t('lock.chooseHint')}
          </p>
        </Show>
        <Show when={error()}>
          {(text) => (
            <p class="form-error" role="alert" data-testid="lock-error">
              {text()}
            </p>
          )}
        </Show>
        <button type="submit" class="button primary wide" disabled={busy()} data-testid="lock-submit">
          {t('lock.submit')}
        </button>
      </form>
    </main>
  );
}
