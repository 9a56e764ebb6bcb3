// Settings → Profile: the display name and bio others see, with what is left of each and
// the server's rules checked before saving.

import { Show, createSignal, createUniqueId, onMount, type JSX } from 'solid-js';
import type { MessageKey } from '../i18n';
import { charsLeft, profileProblem, type ProfileField, type ProfileProblem } from '../lib/profile';
import { toErrorInfo } from '../platform/errors';
import { MAX_BIO_CHARS, MAX_DISPLAY_NAME_CHARS } from '../platform/types';
import { useApp } from '../stores/app';
import { errorText } from './errorText';

const PROBLEM_KEYS: Record<ProfileField, Record<ProfileProblem['kind'], MessageKey>> = {
  displayName: {
    tooLong: 'profile.displayNameTooLong',
    lineBreak: 'profile.displayNameLineBreak',
    invisible: 'profile.displayNameInvisible',
  },
  bio: { tooLong: 'profile.bioTooLong', lineBreak: 'profile.bioLineBreak', invisible: 'profile.bioInvisible' },
};

const MAX_CHARS: Record<ProfileField, number> = { displayName: MAX_DISPLAY_NAME_CHARS, bio: MAX_BIO_CHARS };

/** The profile part of the settings dialog, filled from the account's profile when it opens. */
export function ProfileSection(): JSX.Element {
  const app = useApp();
  const { settings } = app;
  const t = settings.t;
  const [displayName, setDisplayName] = createSignal('');
  const [bio, setBio] = createSignal('');
  const [error, setError] = createSignal<string | null>(null);
  const [saved, setSaved] = createSignal(false);
  const [problem, setProblem] = createSignal<ProfileField | null>(null);
  const titleId = createUniqueId();
  const ids = { displayName: createUniqueId(), bio: createUniqueId() };
  // Once the user typed, the profile arriving late does not overwrite it.
  let touched = false;

  onMount(() => {
    const me = app.session.account();
    if (me === null) return;
    app.platform.profile(me.id).then(
      (profile) => {
        if (touched) return;
        setDisplayName(profile.account.displayName);
        setBio(profile.bio);
      },
      (err: unknown) => setError(errorText(t, err)),
    );
  });

  const left = (field: ProfileField): string => {
    const count = charsLeft(field, field === 'displayName' ? displayName() : bio());
    return count >= 0 ? settings.plural('profile.charsLeft', count) : settings.plural('profile.charsOver', -count);
  };
  const edited = (): void => {
    touched = true;
    setSaved(false);
    setProblem(null);
  };
  const save = async (event: Event): Promise<void> => {
    event.preventDefault();
    setError(null);
    setSaved(false);
    const wrong = profileProblem(displayName(), bio());
    setProblem(wrong?.field ?? null);
    if (wrong !== null) {
      setError(t(PROBLEM_KEYS[wrong.field][wrong.kind], { max: MAX_CHARS[wrong.field] }));
      return;
    }
    try {
      const profile = await app.platform.setProfile(displayName(), bio());
      setDisplayName(profile.account.displayName);
      setBio(profile.bio);
      app.people.learn([profile.account]);
      setSaved(true);
    } catch (err) {
      const info = toErrorInfo(err);
      setError(info.code === 'invalid' ? t('profile.errorInvalid', { message: info.message }) : errorText(t, err));
    }
  };

  return (
    <section class="settings-section" aria-labelledby={titleId} data-testid="settings-profile">
      <h3 id={titleId} class="section-title">
        {t('profile.section')}
      </h3>
      <form class="profile-form" onSubmit={(event) => void save(event)}>
        <label class="field">
          <span>{t('profile.displayName')}</span>
          <input
            value={displayName()}
            dir="auto"
            autocomplete="nickname"
            aria-invalid={problem() === 'displayName'}
            aria-describedby={`${ids.displayName}-hint ${ids.displayName}`}
            onInput={(e) => {
              setDisplayName(e.currentTarget.value);
              edited();
            }}
            data-testid="profile-display-name"
          />
        </label>
        <p id={`${ids.displayName}-hint`} class="muted">
          {t('profile.displayNameHint')}
        </p>
        <p
          id={ids.displayName}
          class="char-counter muted"
          classList={{ over: charsLeft('displayName', displayName()) < 0 }}
          data-testid="profile-display-name-left"
        >
          {left('displayName')}
        </p>
        <label class="field">
          <span>{t('profile.bio')}</span>
          <input
            value={bio()}
            dir="auto"
            aria-invalid={problem() === 'bio'}
            aria-describedby={ids.bio}
            onInput={(e) => {
              setBio(e.currentTarget.value);
              edited();
            }}
            data-testid="profile-bio"
          />
        </label>
        <p
          id={ids.bio}
          class="char-counter muted"
          classList={{ over: charsLeft('bio', bio()) < 0 }}
          data-testid="profile-bio-left"
        >
          {left('bio')}
        </p>
        <Show when={error()}>
          {(text) => (
            <p class="form-error" role="alert" data-testid="profile-error">
              {text()}
            </p>
          )}
        </Show>
        <Show when={saved()}>
          <p class="form-note" role="status" data-testid="profile-saved">
            {t('profile.saved')}
          </p>
        </Show>
        <div class="form-actions start">
          <button type="submit" class="button" data-testid="profile-save">
            {t('common.save')}
          </button>
        </div>
      </form>
    </section>
  );
}
