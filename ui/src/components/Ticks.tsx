// The delivery mark of an outgoing message: clock, one tick, two ticks, or an error.

import { Match, Switch, type JSX } from 'solid-js';
import type { Tick } from '../lib/messages';
import { useApp } from '../stores/app';
import { Icon } from './Icon';

export function Ticks(props: { tick: Tick }): JSX.Element {
  const { settings } = useApp();
  const label = (): string => {
    switch (props.tick) {
      case 'pending':
        return settings.t('message.pending');
      case 'sent':
        return settings.t('message.sent');
      case 'read':
        return settings.t('message.read');
      case 'failed':
        return settings.t('message.failed');
      case 'none':
        return '';
    }
  };
  return (
    <Switch>
      <Match when={props.tick !== 'none'}>
        <span class={`ticks ticks-${props.tick}`} role="img" aria-label={label()} data-testid="ticks" data-state={props.tick}>
          <Switch>
            <Match when={props.tick === 'pending'}>
              <Icon name="clock" size={14} />
            </Match>
            <Match when={props.tick === 'sent'}>
              <Icon name="check" size={16} />
            </Match>
            <Match when={props.tick === 'read'}>
              <Icon name="checks" size={16} />
            </Match>
            <Match when={props.tick === 'failed'}>
              <Icon name="error" size={14} />
            </Match>
          </Switch>
        </span>
      </Match>
    </Switch>
  );
}
