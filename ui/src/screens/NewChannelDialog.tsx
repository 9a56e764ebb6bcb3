// Create a channel: name, public (with an @handle) or private (invite links only), topic,
// language and description. Missing fields are caught here; the host checks the rest, and
// its refusal is shown under the field it is about (a bad or taken handle, say).

import { For, Show, createSignal, createUniqueId, type JSX } from 'solid-js';
import { Dialog } from '../components/Dialog';
import { FormError } from '../components/FormError';
import type { MessageKey } from '../i18n';
import {
  MAX_CHANNEL_DESCRIPTION,
  MAX_CHANNEL_TITLE,
  channelError,
  languageOptions,
  normalizeHandle,
  topicLabel,
  type ChannelField,
} from '../lib/channels';
import { CHANNEL_TOPICS, type ChannelInfo } from '../platform/types';
import { useApp } from '../stores/app';
import { errorText } from './errorText';

type FieldErrors = Partial<Record<ChannelField, MessageKey>>;

export function NewChannelDialog(props: { onClose: () => void; onCreated: (channel: ChannelInfo) => void }): JSX.Element {
  const app = useApp();
  const t = app.settings.t;
  const [title, setTitle] = createSignal('');
  const [isPublic, setPublic] = createSignal(true);
  const [handle, setHandle] = createSignal('');
  const [topic, setTopic] = createSignal('other');
  const [language, setLanguage] = createSignal<string>(app.settings.lang());
  const [description, setDescription] = createSignal('');
  const [errors, setErrors] = createSignal<FieldErrors>({});
  const [formError, setFormError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const ids = {
    title: createUniqueId(),
    handle: createUniqueId(),
    description: createUniqueId(),
    topic: createUniqueId(),
    language: createUniqueId(),
  } satisfies Record<ChannelField, string>;
  const handleHintId = createUniqueId();

  const errorId = (field: ChannelField): string => `${ids[field]}-error`;
  const clearError = (field: ChannelField): void => {
    if (errors()[field] !== undefined) setErrors((prev) => ({ ...prev, [field]: undefined }));
  };
  /** Focus goes to the first field with an error. */
  const focusFirstError = (found: FieldErrors): void => {
    const first = (['title', 'handle', 'topic', 'language', 'description'] as const).find((f) => found[f] !== undefined);
    if (first !== undefined) queueMicrotask(() => document.getElementById(ids[first])?.focus());
  };
  const describedBy = (field: ChannelField, ...more: string[]): string | undefined => {
    const list = [...more, ...(errors()[field] !== undefined ? [errorId(field)] : [])];
    return list.length > 0 ? list.join(' ') : undefined;
  };

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    setFormError(null);
    const found: FieldErrors = {};
    if (title().trim() === '') found.title = 'newChannel.errorTitle';
    if (isPublic() && normalizeHandle(handle()) === '') found.handle = 'newChannel.errorHandleRequired';
    setErrors(found);
    if (Object.keys(found).length > 0) {
      focusFirstError(found);
      return;
    }
    setBusy(true);
    try {
      const channel = await app.platform.createChannel({
        title: title().trim(),
        handle: isPublic() ? normalizeHandle(handle()) : null,
        description: description().trim(),
        topic: topic(),
        language: language(),
      });
      props.onCreated(channel);
    } catch (err) {
      const { field, key } = channelError(err);
      if (field !== null && key !== null) {
        const shown = { [field]: key };
        setErrors(shown);
        focusFirstError(shown);
      } else setFormError(key !== null ? t(key) : errorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  const FieldError = (p: { field: ChannelField }): JSX.Element => (
    <Show when={errors()[p.field]}>
      {(key) => (
        <span class="field-error" role="alert" id={errorId(p.field)} data-testid={`new-channel-${p.field}-error`}>
          {t(key())}
        </span>
      )}
    </Show>
  );

  return (
    <Dialog title={t('newChannel.title')} testId="new-channel-dialog" onClose={props.onClose}>
      <form class="form" noValidate onSubmit={submit}>
        <div class="field">
          <label for={ids.title}>{t('newChannel.name')}</label>
          <input
            id={ids.title}
            value={title()}
            maxLength={MAX_CHANNEL_TITLE}
            dir="auto"
            aria-invalid={errors().title !== undefined}
            aria-describedby={describedBy('title')}
            data-testid="new-channel-title"
            onInput={(e) => {
              setTitle(e.currentTarget.value);
              clearError('title');
            }}
          />
          <FieldError field="title" />
        </div>
        <fieldset class="field choice-group">
          <legend>{t('newChannel.visibility')}</legend>
          <label class="check-row">
            <input
              type="radio"
              name="channel-visibility"
              checked={isPublic()}
              data-testid="new-channel-public"
              onChange={() => setPublic(true)}
            />
            <span class="choice">
              <span class="choice-title">{t('newChannel.public')}</span>
              <span class="choice-hint">{t('newChannel.publicHint')}</span>
            </span>
          </label>
          <label class="check-row">
            <input
              type="radio"
              name="channel-visibility"
              checked={!isPublic()}
              data-testid="new-channel-private"
              onChange={() => {
                setPublic(false);
                clearError('handle');
              }}
            />
            <span class="choice">
              <span class="choice-title">{t('newChannel.private')}</span>
              <span class="choice-hint">{t('newChannel.privateHint')}</span>
            </span>
          </label>
        </fieldset>
        <Show when={isPublic()}>
          <div class="field">
            <label for={ids.handle}>{t('newChannel.handle')}</label>
            <div class="handle-input" dir="ltr">
              <span aria-hidden="true">@</span>
              <input
                id={ids.handle}
                value={handle()}
                maxLength={33}
                autocomplete="off"
                spellcheck={false}
                autocapitalize="none"
                aria-invalid={errors().handle !== undefined}
                aria-describedby={describedBy('handle', handleHintId)}
                data-testid="new-channel-handle"
                onInput={(e) => {
                  setHandle(e.currentTarget.value);
                  clearError('handle');
                }}
              />
            </div>
            <span class="field-hint" id={handleHintId}>
              {t('newChannel.handleHint')}
            </span>
            <FieldError field="handle" />
          </div>
        </Show>
        <div class="field-row">
          <div class="field grow">
            <label for={ids.topic}>{t('newChannel.topic')}</label>
            <select
              id={ids.topic}
              value={topic()}
              aria-invalid={errors().topic !== undefined}
              aria-describedby={describedBy('topic')}
              data-testid="new-channel-topic"
              onChange={(e) => {
                setTopic(e.currentTarget.value);
                clearError('topic');
              }}
            >
              <For each={CHANNEL_TOPICS}>{(code) => <option value={code}>{topicLabel(t, code)}</option>}</For>
            </select>
            <FieldError field="topic" />
          </div>
          <div class="field grow">
            <label for={ids.language}>{t('newChannel.language')}</label>
            <select
              id={ids.language}
              value={language()}
              aria-invalid={errors().language !== undefined}
              aria-describedby={describedBy('language')}
              data-testid="new-channel-language"
              onChange={(e) => {
                setLanguage(e.currentTarget.value);
                clearError('language');
              }}
            >
              <For each={languageOptions(app.settings.lang())}>
                {(option) => <option value={option.code}>{option.name}</option>}
              </For>
            </select>
            <FieldError field="language" />
          </div>
        </div>
        <div class="field">
          <label for={ids.description}>{t('newChannel.description')}</label>
          <textarea
            id={ids.description}
            value={description()}
            rows={3}
            dir="auto"
            maxLength={MAX_CHANNEL_DESCRIPTION}
            aria-invalid={errors().description !== undefined}
            aria-describedby={describedBy('description')}
            data-testid="new-channel-description"
            onInput={(e) => {
              setDescription(e.currentTarget.value);
              clearError('description');
            }}
          />
          <FieldError field="description" />
        </div>
        <FormError message={formError()} />
        <div class="form-actions">
          <button type="button" class="button" onClick={() => props.onClose()}>
            {t('common.cancel')}
          </button>
          <button type="submit" class="button primary" disabled={busy()} data-testid="new-channel-create">
            {t('common.create')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
