// Settings → Privacy: who sees when this account is online and was last seen. The radios show
// what the server has: a click is held back until the server has the new choice, and a
// refused choice is undone. Once changed, everyone's presence is asked again (hiding one's
// own hides everyone else's too).

import { For, type JSX } from 'solid-js';
import type { LastSeenVisibility, Privacy } from '../platform/types';
import { useApp } from '../stores/app';

const CHOICES: {
  value: LastSeenVisibility;
  key: 'settings.presenceEverybody' | 'settings.presenceContacts' | 'settings.presenceNobody';
}[] = [
  { value: 'everybody', key: 'settings.presenceEverybody' },
  { value: 'contacts', key: 'settings.presenceContacts' },
  { value: 'nobody', key: 'settings.presenceNobody' },
];

/** The "Last seen & online" radio group and its explanation. */
export function LastSeenSetting(props: {
  /** The settings the server has; null or undefined while it cannot be asked. */
  privacy: Privacy | null | undefined;
  /** The server saved a new choice: the settings now in force. */
  onSaved: (privacy: Privacy) => void;
  /** Runs a change, showing its error in the dialog. */
  run: (action: () => Promise<void>) => Promise<void>;
}): JSX.Element {
  const app = useApp();
  const t = app.settings.t;
  let field: HTMLFieldSetElement | undefined;
  const show = (): void => {
    const current = props.privacy?.lastSeen;
    field?.querySelectorAll('input').forEach((input) => {
      input.checked = input.value === current;
    });
  };
  const choose = (visibility: LastSeenVisibility): void => {
    if (props.privacy?.lastSeen === visibility) return;
    void props.run(async () => {
      try {
        props.onSaved(await app.platform.setLastSeen(visibility));
        app.presence.refresh().catch(() => undefined);
      } finally {
        show();
      }
    });
  };
  return (
    <>
      <fieldset
        class="segmented"
        data-testid="settings-last-seen"
        aria-describedby="settings-last-seen-hint"
        disabled={!props.privacy}
        ref={field}
      >
        <legend>{t('settings.presence')}</legend>
        <For each={CHOICES}>
          {(option) => (
            <label class="segment" classList={{ checked: props.privacy?.lastSeen === option.value }}>
              <input
                type="radio"
                name="last-seen"
                value={option.value}
                checked={props.privacy?.lastSeen === option.value}
                onClick={(e) => {
                  e.preventDefault();
                  choose(option.value);
                }}
                data-testid={`privacy-last-seen-${option.value}`}
              />
              <span>{t(option.key)}</span>
            </label>
          )}
        </For>
      </fieldset>
      <p id="settings-last-seen-hint" class="muted">
        {t('settings.presenceHint')}
      </p>
    </>
  );
}
