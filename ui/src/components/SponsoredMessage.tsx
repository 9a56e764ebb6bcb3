// A sponsored message below a channel's newest post: labelled "Sponsored", its title, text
// and button (to a channel, opened in the app, or to an https:// link, opened in the
// browser), and About / Hide / Report. Says when it was on screen, once
// (IntersectionObserver; without one, as soon as it is shown).

import { Show, createUniqueId, onCleanup, onMount, type JSX } from 'solid-js';
import { sponsoredDestination } from '../lib/business';
import type { SponsoredMessage } from '../platform/types';
import { useApp } from '../stores/app';
import { Icon } from './Icon';

/** The share of the message that must be in view for it to count as shown. */
const SHOWN_THRESHOLD = 0.5;

export function SponsoredMessageCard(props: {
  message: SponsoredMessage;
  onShown: () => void;
  onOpenChannel: (handle: string) => void;
  /** The button was pressed (before the target opens). */
  onClicked: () => void;
  onAbout: () => void;
  onHide: () => void;
  onReport: () => void;
}): JSX.Element {
  const { settings } = useApp();
  const t = settings.t;
  const labelId = createUniqueId();
  const titleId = createUniqueId();
  const destination = () => sponsoredDestination(props.message.target);
  let card!: HTMLElement;

  onMount(() => {
    if (typeof IntersectionObserver === 'undefined') {
      props.onShown();
      return;
    }
    const observer = new IntersectionObserver(
      (entries) => {
        if (!entries.some((entry) => entry.isIntersecting)) return;
        observer.disconnect();
        props.onShown();
      },
      { threshold: SHOWN_THRESHOLD },
    );
    observer.observe(card);
    onCleanup(() => observer.disconnect());
  });

  return (
    <article
      ref={card}
      class="post bubble sponsored"
      aria-labelledby={`${labelId} ${titleId}`}
      data-testid="sponsored-message"
      data-campaign={props.message.campaign}
    >
      <div class="sponsored-head">
        <span id={labelId} class="sponsored-label" data-testid="sponsored-label">
          {t('sponsored.label')}
        </span>
        <span class="sponsored-actions">
          <button
            type="button"
            class="link-button"
            aria-haspopup="dialog"
            aria-label={t('sponsored.aboutLabel')}
            data-testid="sponsored-about"
            onClick={() => props.onAbout()}
          >
            {t('sponsored.about')}
          </button>
          <button
            type="button"
            class="link-button"
            aria-label={t('sponsored.hideLabel')}
            data-testid="sponsored-hide"
            onClick={() => props.onHide()}
          >
            {t('sponsored.hide')}
          </button>
          <button
            type="button"
            class="link-button"
            aria-label={t('sponsored.reportLabel')}
            data-testid="sponsored-report"
            onClick={() => props.onReport()}
          >
            {t('sponsored.report')}
          </button>
        </span>
      </div>
      <h3 id={titleId} class="sponsored-title" dir="auto" data-testid="sponsored-title">
        {props.message.title}
      </h3>
      <p class="message-text sponsored-text" dir="auto" data-testid="sponsored-text">
        {props.message.text}
      </p>
      <Show when={destination()}>
        {(to) => {
          const found = to();
          if (found.kind === 'channel') {
            return (
              <button
                type="button"
                class="button sponsored-button"
                dir="auto"
                data-testid="sponsored-button"
                data-target={`wren://channel/${found.handle}`}
                onClick={() => {
                  props.onClicked();
                  props.onOpenChannel(found.handle);
                }}
              >
                <Icon name="megaphone" size={18} />
                <span>{props.message.button}</span>
              </button>
            );
          }
          return (
            <a
              class="button sponsored-button"
              href={found.url}
              target="_blank"
              rel="noopener noreferrer"
              dir="auto"
              data-testid="sponsored-button"
              data-target={found.url}
              onClick={() => props.onClicked()}
            >
              <Icon name="link" size={18} />
              <span>{props.message.button}</span>
              <span class="visually-hidden"> {t('sponsored.external')}</span>
            </a>
          );
        }}
      </Show>
    </article>
  );
}
