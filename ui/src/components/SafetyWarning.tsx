// The line at the top of a direct chat when the contact's verified safety number changed
// (they added a device or a key changed): says so and opens the safety number.

import type { JSX } from 'solid-js';
import { useApp } from '../stores/app';
import { Icon } from './Icon';

export function SafetyWarning(props: { name: string; onOpen: () => void }): JSX.Element {
  const t = useApp().settings.t;
  return (
    <div class="safety-warning" role="alert" data-testid="safety-number-changed">
      <Icon name="warning" size={20} class="safety-warning-icon" />
      <span class="safety-warning-text">{t('safety.changed', { name: props.name })}</span>
      <button type="button" class="button" data-testid="safety-number-changed-open" onClick={() => props.onOpen()}>
        {t('safety.open')}
      </button>
    </div>
  );
}
