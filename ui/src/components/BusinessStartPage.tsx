// A business contact's start page, shown at the top of a direct chat before the first
// message: its text, address and opening hours (in the business's time zone).

import { For, Show, createUniqueId, type JSX } from 'solid-js';
import { WEEKDAYS, formatClock, formatOffset, weekdayName } from '../lib/business';
import type { BusinessProfile } from '../platform/types';
import { useApp } from '../stores/app';
import { Icon } from './Icon';

export function BusinessStartPage(props: { profile: BusinessProfile }): JSX.Element {
  const { settings } = useApp();
  const t = settings.t;
  const lang = settings.lang;
  const titleId = createUniqueId();
  const hoursOf = (day: number) => props.profile.hours.find((h) => h.day === day);
  return (
    <section class="business-start" aria-labelledby={titleId} data-testid="business-start-page">
      <div class="business-start-card">
        <h3 id={titleId} class="business-start-title">
          <Icon name="info" size={18} />
          <span>{t('business.startTitle')}</span>
        </h3>
        <Show when={props.profile.startPage.trim() !== ''}>
          <p class="business-start-text" dir="auto" data-testid="business-start-text">
            {props.profile.startPage}
          </p>
        </Show>
        <dl class="info-list">
          <Show when={props.profile.address.trim() !== ''}>
            <dt>{t('business.address')}</dt>
            <dd dir="auto" data-testid="business-start-address">
              {props.profile.address}
            </dd>
          </Show>
          <Show when={props.profile.hours.length > 0}>
            <dt>{t('business.hours')}</dt>
            <dd>
              <ul class="business-start-hours" data-testid="business-start-hours">
                <For each={[...WEEKDAYS]}>
                  {(day) => (
                    <li data-testid="business-start-day" data-day={day}>
                      <span class="business-start-day-name">{weekdayName(day, lang())}</span>{' '}
                      <span dir="ltr">
                        <Show when={hoursOf(day)} fallback={t('business.closed')}>
                          {(h) => `${formatClock(h().opens, lang())}–${formatClock(h().closes, lang())}`}
                        </Show>
                      </span>
                    </li>
                  )}
                </For>
              </ul>
              <span class="muted business-start-zone" data-testid="business-start-zone">
                {t('business.timesIn', {
                  zone: t('business.utc', { offset: formatOffset(props.profile.utcOffsetMinutes, lang()) }),
                })}
              </span>
            </dd>
          </Show>
        </dl>
      </div>
    </section>
  );
}
