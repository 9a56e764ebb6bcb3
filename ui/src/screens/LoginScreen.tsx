// Server address, sign in and register, on one form with two submit buttons. An
// unencrypted address to another computer needs the user's explicit, warned consent. For an
// account slot just added while another one is signed in, it says so and offers Cancel (back
// to that account; the host removes the empty slot).

import { Show, createSignal, type JSX } from 'solid-js';
import { isUnencryptedRemote } from '../lib/server';
import { toErrorInfo } from '../platform/errors';
import type { AccountSlot } from '../platform/types';
import { useApp } from '../stores/app';
import { errorText } from './errorText';

const DEFAULT_SERVER = 'http://127.0.0.1:8080';

export function LoginScreen(): JSX.Element {
  const app = useApp();
  const t = app.settings.t;
  const [server, setServer] = createSignal(app.session.serverUrl() ?? DEFAULT_SERVER);
  const [username, setUsername] = createSignal('');
  const [password, setPassword] = createSignal('');
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const [allowInsecure, setAllowInsecure] = createSignal(false);
  /** The host refused the address as unencrypted (its rule is the one that counts). */
  const [refusedInsecure, setRefusedInsecure] = createSignal(false);
  const askInsecure = (): boolean => isUnencryptedRemote(server()) || refusedInsecure();
  /** The account to go back to when this sign-in is for an added slot. */
  const back = (): AccountSlot | undefined => app.accounts.otherSignedIn();

  const cancel = async (slot: AccountSlot): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await app.accounts.switchTo(slot.id);
    } catch (err) {
      setError(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  const go = async (mode: 'login' | 'register'): Promise<void> => {
    if (server().trim() === '' || username().trim() === '' || password() === '') {
      setError(t('errors.invalid'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const args = [server().trim(), username().trim(), password(), askInsecure() && allowInsecure()] as const;
      if (mode === 'login') await app.session.login(...args);
      else await app.session.register(...args);
    } catch (err) {
      if (toErrorInfo(err).code === 'insecure') setRefusedInsecure(true);
      setError(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="auth-screen" data-testid="login-screen">
      <form
        class="auth-card"
        aria-labelledby="login-title"
        onSubmit={(e) => {
          e.preventDefault();
          void go('login');
        }}
      >
        <div class="auth-logo" aria-hidden="true">
          W
        </div>
        <h1 id="login-title">{back() === undefined ? t('login.title') : t('login.addTitle')}</h1>
        <p class="muted">{back() === undefined ? t('login.subtitle') : t('login.addSubtitle')}</p>
        <label class="field">
          <span>{t('login.server')}</span>
          <input
            type="url"
            dir="ltr"
            value={server()}
            onInput={(e) => {
              setServer(e.currentTarget.value);
              setRefusedInsecure(false);
            }}
            autocomplete="url"
            spellcheck={false}
            data-testid="login-server"
          />
        </label>
        <Show when={askInsecure()}>
          <div class="insecure-consent" data-testid="insecure-consent">
            <p class="form-warning" role="alert" data-testid="insecure-warning">
              {t('login.insecureWarning')}
            </p>
            <label class="check-row">
              <input
                type="checkbox"
                checked={allowInsecure()}
                onChange={(e) => setAllowInsecure(e.currentTarget.checked)}
                data-testid="allow-insecure"
              />
              <span>{t('login.allowInsecure')}</span>
            </label>
          </div>
        </Show>
        <label class="field">
          <span>{t('login.username')}</span>
          <input
            value={username()}
            onInput={(e) => setUsername(e.currentTarget.value)}
            autocomplete="username"
            spellcheck={false}
            autofocus
            data-testid="login-username"
          />
        </label>
        <label class="field">
          <span>{t('login.password')}</span>
          <input
            type="password"
            value={password()}
            onInput={(e) => setPassword(e.currentTarget.value)}
            autocomplete="current-password"
            data-testid="login-password"
          />
        </label>
        <Show when={error()}>
          {(text) => (
            <p class="form-error" role="alert" data-testid="login-error">
              {text()}
            </p>
          )}
        </Show>
        <button type="submit" class="button primary wide" disabled={busy()} data-testid="login-submit">
          {busy() ? t('login.busy') : t('login.submit')}
        </button>
        <button
          type="button"
          class="button wide"
          disabled={busy()}
          data-testid="register-submit"
          onClick={() => void go('register')}
        >
          {t('login.register')}
        </button>
        <Show when={back()}>
          {(slot) => (
            <button
              type="button"
              class="button wide"
              disabled={busy()}
              data-testid="cancel-add-account"
              onClick={() => void cancel(slot())}
            >
              {t('common.cancel')}
            </button>
          )}
        </Show>
      </form>
    </main>
  );
}
