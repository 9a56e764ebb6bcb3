// A message's text with its entities, built as DOM nodes (never parsed as HTML): bold,
// italic, underline, strike, code, code blocks, spoilers hidden until activated, links that
// open in the system browser (never in the webview; a link whose text differs from its
// target asks first), mentions that open the direct chat, and hashtags.

import { For, Match, Show, Switch, createMemo, createSignal, type JSX } from 'solid-js';
import { segmentText, textLinkTarget, urlTarget, type EntitySegment, type Segment } from '../lib/entities';
import { errorText } from '../screens/errorText';
import type { Entity } from '../platform/types';
import { useApp } from '../stores/app';
import { LinkConfirmDialog } from './LinkConfirmDialog';
import '../styles/message-content.css';

/** What the interactive parts of a text do, shared by all its segments. */
interface Actions {
  open(url: string): void;
  confirm(url: string): void;
  mention(username: string): void;
  spoilerLabel(): string;
}

/** Keeps Enter and Space on a link or spoiler from reaching the bubble (whose Enter opens the menu). */
function keepKey(event: KeyboardEvent): void {
  if (event.key === 'Enter' || event.key === ' ') event.stopPropagation();
}

function Segments(props: { segments: Segment[]; actions: Actions }): JSX.Element {
  return (
    <For each={props.segments}>
      {(segment) => (segment.type === 'text' ? segment.text : <EntityView segment={segment} actions={props.actions} />)}
    </For>
  );
}

function Spoiler(props: { segment: EntitySegment; actions: Actions }): JSX.Element {
  const [revealed, setRevealed] = createSignal(false);
  const reveal = (event: Event): void => {
    event.preventDefault();
    event.stopPropagation();
    setRevealed(true);
  };
  return (
    <Show
      when={revealed()}
      fallback={
        <span
          class="spoiler"
          role="button"
          tabIndex={0}
          aria-label={props.actions.spoilerLabel()}
          data-testid="message-spoiler"
          data-revealed="false"
          onClick={reveal}
          onKeyDown={(event) => {
            if (event.key === 'Enter' || event.key === ' ') reveal(event);
          }}
        >
          <span class="spoiler-cover" aria-hidden="true">
            <Segments segments={props.segment.children} actions={props.actions} />
          </span>
        </span>
      }
    >
      <span class="spoiler revealed" data-testid="message-spoiler" data-revealed="true">
        <Segments segments={props.segment.children} actions={props.actions} />
      </span>
    </Show>
  );
}

function Link(props: { segment: EntitySegment; actions: Actions }): JSX.Element {
  const target = (): { url: string; differs: boolean } | null =>
    props.segment.entity.kind === 'textLink'
      ? textLinkTarget(props.segment.text, props.segment.entity.url)
      : (() => {
          const url = urlTarget(props.segment.text);
          return url === null ? null : { url, differs: false };
        })();
  return (
    <Show when={target()} fallback={<Segments segments={props.segment.children} actions={props.actions} />}>
      {(link) => (
        <a
          class="message-link"
          href={link().url}
          rel="noopener noreferrer"
          data-testid="message-link"
          data-kind={props.segment.entity.kind}
          onKeyDown={keepKey}
          onClick={(event) => {
            event.preventDefault();
            event.stopPropagation();
            if (link().differs) props.actions.confirm(link().url);
            else props.actions.open(link().url);
          }}
        >
          <Segments segments={props.segment.children} actions={props.actions} />
        </a>
      )}
    </Show>
  );
}

function EntityView(props: { segment: EntitySegment; actions: Actions }): JSX.Element {
  const kind = (): Entity['kind'] => props.segment.entity.kind;
  const inner = (): JSX.Element => <Segments segments={props.segment.children} actions={props.actions} />;
  return (
    <Switch fallback={inner()}>
      <Match when={kind() === 'bold'}>
        <strong>{inner()}</strong>
      </Match>
      <Match when={kind() === 'italic'}>
        <em>{inner()}</em>
      </Match>
      <Match when={kind() === 'underline'}>
        <u>{inner()}</u>
      </Match>
      <Match when={kind() === 'strike'}>
        <s>{inner()}</s>
      </Match>
      <Match when={kind() === 'code'}>
        <code class="message-code" dir="ltr">
          {props.segment.text}
        </code>
      </Match>
      <Match when={kind() === 'pre'}>
        <pre class="message-pre" dir="ltr" data-language={props.segment.entity.language ?? undefined}>
          <code>{props.segment.text}</code>
        </pre>
      </Match>
      <Match when={kind() === 'spoiler'}>
        <Spoiler segment={props.segment} actions={props.actions} />
      </Match>
      <Match when={kind() === 'url' || kind() === 'textLink'}>
        <Link segment={props.segment} actions={props.actions} />
      </Match>
      <Match when={kind() === 'mention'}>
        <button
          type="button"
          class="message-mention"
          data-testid="message-mention"
          data-username={props.segment.text.slice(1)}
          onKeyDown={keepKey}
          onClick={(event) => {
            event.stopPropagation();
            props.actions.mention(props.segment.text.slice(1));
          }}
        >
          {props.segment.text}
        </button>
      </Match>
      <Match when={kind() === 'hashtag'}>
        <span class="message-hashtag" data-testid="message-hashtag">
          {props.segment.text}
        </span>
      </Match>
    </Switch>
  );
}

/**
 * Renders `text` with `entities` inside a bidi-isolated span: direction overrides in the
 * text cannot reach past it. Failures (a link the host refuses, an unknown mention) go to
 * `onError`.
 */
export function FormattedText(props: { text: string; entities: Entity[]; onError?: (message: string) => void }): JSX.Element {
  const app = useApp();
  const t = app.settings.t;
  const [confirming, setConfirming] = createSignal<string | null>(null);
  const segments = createMemo(() => segmentText(props.text, props.entities));
  const fail = (error: unknown): void => props.onError?.(errorText(t, error));
  const actions: Actions = {
    open: (url) => {
      app.platform.openLink(url).catch(fail);
    },
    confirm: (url) => setConfirming(url),
    mention: (username) => {
      if (app.session.account()?.username === username) return;
      app.platform
        .openDirect(username)
        .then((chat) => {
          app.chats.put(chat);
          app.openChat(chat.id);
        })
        .catch(fail);
    },
    spoilerLabel: () => t('format.spoiler'),
  };
  return (
    <span class="formatted-text">
      <Segments segments={segments()} actions={actions} />
      <Show when={confirming()}>
        {(url) => (
          <LinkConfirmDialog
            url={url()}
            onClose={() => setConfirming(null)}
            onOpen={() => {
              const target = url();
              setConfirming(null);
              actions.open(target);
            }}
          />
        )}
      </Show>
    </span>
  );
}
