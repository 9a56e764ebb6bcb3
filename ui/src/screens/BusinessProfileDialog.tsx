// The business profile editor (Business plan): opening hours per weekday and their time
// zone, address, start page, greeting, away message and quick replies. Checks each field as
// the host does (texts of at most 1024 characters, opening before closing within the day,
// at most 20 quick replies with shortcuts of 1–32 of a-z, 0-9, _): a field's problem shows
// under it once it was edited, every problem once saving was tried. The host's refusals
// (no Business plan, say) show at the bottom.

import { For, Show, createSignal, createUniqueId, onCleanup, onMount, type JSX } from 'solid-js';
import { createStore, produce } from 'solid-js/store';
import { Dialog } from '../components/Dialog';
import { FormError } from '../components/FormError';
import { Icon } from '../components/Icon';
import {
  WEEKDAYS,
  emptyProfile,
  formatOffset,
  localUtcOffset,
  offsetChoices,
  parseTime,
  profileProblems,
  timeValue,
  weekdayName,
  type FieldProblem,
} from '../lib/business';
import { toErrorInfo } from '../platform/errors';
import { MAX_QUICK_REPLIES, type BusinessProfile } from '../platform/types';
import { useApp } from '../stores/app';
import { errorText } from './errorText';

interface DayDraft {
  open: boolean;
  /** `<input type="time">` values. */
  opens: string;
  closes: string;
}

interface ReplyDraft {
  /** Stable across removals, for the row's DOM and its "edited" mark. */
  key: number;
  shortcut: string;
  text: string;
}

interface Draft {
  days: DayDraft[];
  utcOffsetMinutes: number;
  address: string;
  startPage: string;
  greeting: string;
  awayMessage: string;
  replies: ReplyDraft[];
}

const DEFAULT_OPENS = '09:00';
const DEFAULT_CLOSES = '17:00';

type TextField = 'address' | 'startPage' | 'greeting' | 'awayMessage';

const TEXT_FIELDS: { field: TextField; label: 'business.address' | 'business.startPage' | 'business.greeting' | 'business.away'; hint?: 'business.startPageHint' | 'business.greetingHint' | 'business.awayHint'; testId: string; rows: number }[] = [
  { field: 'address', label: 'business.address', testId: 'business-address', rows: 2 },
  { field: 'startPage', label: 'business.startPage', hint: 'business.startPageHint', testId: 'business-start-page-input', rows: 3 },
  { field: 'greeting', label: 'business.greeting', hint: 'business.greetingHint', testId: 'business-greeting', rows: 2 },
  { field: 'awayMessage', label: 'business.away', hint: 'business.awayHint', testId: 'business-away', rows: 2 },
];

let nextReplyKey = 1;

function toDraft(profile: BusinessProfile): Draft {
  const days = WEEKDAYS.map((day): DayDraft => {
    const hours = profile.hours.find((h) => h.day === day);
    return hours === undefined
      ? { open: false, opens: DEFAULT_OPENS, closes: DEFAULT_CLOSES }
      : { open: true, opens: timeValue(hours.opens), closes: timeValue(hours.closes) };
  });
  return {
    days,
    utcOffsetMinutes: profile.utcOffsetMinutes,
    address: profile.address,
    startPage: profile.startPage,
    greeting: profile.greeting,
    awayMessage: profile.awayMessage,
    replies: profile.quickReplies.map((r) => ({ key: nextReplyKey++, shortcut: r.shortcut, text: r.text })),
  };
}

/** The profile the draft stands for; a time that cannot be read is -1 (refused by the checks). */
function toProfile(draft: Draft): BusinessProfile {
  return {
    hours: draft.days.flatMap((d, day) =>
      d.open ? [{ day, opens: parseTime(d.opens) ?? -1, closes: parseTime(d.closes, true) ?? -1 }] : [],
    ),
    utcOffsetMinutes: draft.utcOffsetMinutes,
    address: draft.address,
    startPage: draft.startPage,
    greeting: draft.greeting,
    awayMessage: draft.awayMessage,
    quickReplies: draft.replies.map((r) => ({ shortcut: r.shortcut, text: r.text })),
  };
}

/** The host's checks, and a time that cannot be read (an emptied time field). */
function draftProblems(draft: Draft): Record<string, FieldProblem> {
  const found = profileProblems(toProfile(draft));
  draft.days.forEach((d, day) => {
    if (d.open && (parseTime(d.opens) === null || parseTime(d.closes, true) === null)) {
      found[`hours.${day}`] = { key: 'business.errorTime' };
    }
  });
  return found;
}

export function BusinessProfileDialog(props: { onClose: () => void }): JSX.Element {
  const app = useApp();
  const t = app.settings.t;
  const lang = app.settings.lang;
  const base = createUniqueId();
  const [draft, setDraft] = createStore<Draft>(toDraft(emptyProfile(localUtcOffset())));
  const [ready, setReady] = createSignal(false);
  const [loadError, setLoadError] = createSignal<string | null>(null);
  /** Fields edited since opening (their problems show at once). */
  const [touched, setTouched] = createSignal<ReadonlySet<string>>(new Set());
  const [attempted, setAttempted] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [formError, setFormError] = createSignal<string | null>(null);
  const [saved, setSaved] = createSignal(false);

  let alive = true;
  onCleanup(() => (alive = false));
  // The saved profile is edited; without one, an empty one at this computer's UTC offset.
  onMount(async () => {
    const me = app.session.account();
    try {
      const profile = me === null ? null : await app.platform.businessProfile(me.id);
      if (!alive) return;
      if (profile !== null) setDraft(toDraft(profile));
      setReady(true);
    } catch (error) {
      if (alive) setLoadError(errorText(t, error));
    }
  });

  const problems = (): Record<string, FieldProblem> => draftProblems(draft);
  const touch = (key: string): void => {
    setSaved(false);
    setFormError(null);
    if (!touched().has(key)) setTouched((prev) => new Set(prev).add(key));
  };
  /** The problem of a field (keyed as `profileProblems` keys it), once it may be shown. */
  const problem = (field: string, touchKey: string = field): FieldProblem | undefined =>
    attempted() || touched().has(touchKey) ? problems()[field] : undefined;
  const idOf = (field: string): string => `${base}-${field.replace(/\./g, '-')}`;
  const errorIdOf = (field: string): string => `${idOf(field)}-error`;
  /** A quick reply's fields are named by the row, which keeps its key when rows above it go. */
  const replyId = (key: number, part: 'shortcut' | 'text'): string => `${base}-reply-${key}-${part}`;

  const FieldError = (p: { field: string; touchKey?: string; errorId?: string; testId: string }): JSX.Element => (
    <Show when={problem(p.field, p.touchKey)}>
      {(found) => (
        <span class="field-error" role="alert" id={p.errorId ?? errorIdOf(p.field)} data-testid={p.testId}>
          {t(found().key, found().params)}
        </span>
      )}
    </Show>
  );

  /** Focus goes to the first field with a problem, in the order of the form. */
  const focusFirstProblem = (found: Record<string, FieldProblem>): void => {
    const order: [string, string][] = [
      ...WEEKDAYS.map((day): [string, string] => [`hours.${day}`, idOf(`hours.${day}.opens`)]),
      ['utcOffset', idOf('utcOffset')],
      ...(['address', 'startPage', 'greeting', 'awayMessage'] as const).map((f): [string, string] => [f, idOf(f)]),
      ...draft.replies.flatMap((r, i): [string, string][] => [
        [`reply.${i}.shortcut`, replyId(r.key, 'shortcut')],
        [`reply.${i}.text`, replyId(r.key, 'text')],
      ]),
      ['quickReplies', `${base}-add-reply`],
    ];
    const first = order.find(([field]) => found[field] !== undefined);
    if (first !== undefined) queueMicrotask(() => document.getElementById(first[1])?.focus());
  };

  const save = async (event: Event): Promise<void> => {
    event.preventDefault();
    setAttempted(true);
    setSaved(false);
    setFormError(null);
    const found = problems();
    if (Object.keys(found).length > 0) {
      setFormError(t('business.errorFix'));
      focusFirstProblem(found);
      return;
    }
    setBusy(true);
    try {
      await app.platform.setBusinessProfile(toProfile(draft));
      setSaved(true);
    } catch (error) {
      const info = toErrorInfo(error);
      if (info.code === 'forbidden') setFormError(t('business.errorForbidden'));
      else if (info.code === 'invalid') setFormError(t('business.errorInvalid', { message: info.message }));
      else setFormError(errorText(t, error));
    } finally {
      setBusy(false);
    }
  };

  const addReply = (): void => {
    if (draft.replies.length >= MAX_QUICK_REPLIES) return;
    const key = nextReplyKey++;
    touch('quickReplies');
    setDraft('replies', (replies) => [...replies, { key, shortcut: '', text: '' }]);
    queueMicrotask(() => document.getElementById(replyId(key, 'shortcut'))?.focus());
  };
  const removeReply = (index: number): void => {
    touch('quickReplies');
    setDraft(produce((d) => void d.replies.splice(index, 1)));
    queueMicrotask(() => document.getElementById(`${base}-add-reply`)?.focus());
  };

  return (
    <Dialog title={t('business.title')} testId="business-profile-dialog" onClose={props.onClose}>
      <FormError message={loadError()} />
      <Show when={ready()} fallback={<Show when={loadError() === null}><p class="muted">{t('common.loading')}</p></Show>}>
        <form class="form business-form" noValidate onSubmit={save}>
          <fieldset class="business-hours" data-testid="business-hours">
            <legend class="section-title">{t('business.hours')}</legend>
            <For each={[...WEEKDAYS]}>
              {(day) => {
                const name = (): string => weekdayName(day, lang());
                const field = `hours.${day}`;
                const day_ = (): DayDraft => draft.days[day] ?? { open: false, opens: '', closes: '' };
                return (
                  <div class="business-day" data-testid={`business-day-row-${day}`}>
                    <label class="check-row business-day-name">
                      <input
                        type="checkbox"
                        checked={day_().open}
                        aria-label={t('business.openOn', { day: name() })}
                        data-testid={`business-day-${day}`}
                        onChange={(e) => {
                          touch(field);
                          setDraft('days', day, 'open', e.currentTarget.checked);
                        }}
                      />
                      <span aria-hidden="true">{name()}</span>
                    </label>
                    <Show when={day_().open} fallback={<span class="muted business-closed">{t('business.closed')}</span>}>
                      <span class="business-times">
                        <input
                          type="time"
                          id={idOf(`${field}.opens`)}
                          value={day_().opens}
                          aria-label={t('business.opensOn', { day: name() })}
                          aria-invalid={problem(field) !== undefined}
                          aria-describedby={problem(field) !== undefined ? errorIdOf(field) : undefined}
                          data-testid={`business-opens-${day}`}
                          onInput={(e) => {
                            touch(field);
                            setDraft('days', day, 'opens', e.currentTarget.value);
                          }}
                        />
                        <span aria-hidden="true">–</span>
                        <input
                          type="time"
                          id={idOf(`${field}.closes`)}
                          value={day_().closes}
                          aria-label={t('business.closesOn', { day: name() })}
                          aria-invalid={problem(field) !== undefined}
                          aria-describedby={problem(field) !== undefined ? errorIdOf(field) : undefined}
                          data-testid={`business-closes-${day}`}
                          onInput={(e) => {
                            touch(field);
                            setDraft('days', day, 'closes', e.currentTarget.value);
                          }}
                        />
                      </span>
                    </Show>
                    <FieldError field={field} testId={`business-hours-error-${day}`} />
                  </div>
                );
              }}
            </For>
            <FieldError field="hours" testId="business-hours-error" />
            <p class="field-hint muted">{t('business.midnightHint')}</p>
            <div class="field">
              <label for={idOf('utcOffset')}>{t('business.timeZone')}</label>
              <select
                id={idOf('utcOffset')}
                value={draft.utcOffsetMinutes}
                aria-invalid={problem('utcOffset') !== undefined}
                aria-describedby={problem('utcOffset') !== undefined ? errorIdOf('utcOffset') : undefined}
                data-testid="business-utc-offset"
                onChange={(e) => {
                  touch('utcOffset');
                  setDraft('utcOffsetMinutes', Number(e.currentTarget.value));
                }}
              >
                <For each={offsetChoices(draft.utcOffsetMinutes)}>
                  {(minutes) => (
                    <option value={minutes} selected={draft.utcOffsetMinutes === minutes}>
                      {t('business.utc', { offset: formatOffset(minutes, lang()) })}
                    </option>
                  )}
                </For>
              </select>
              <FieldError field="utcOffset" testId="business-utc-offset-error" />
            </div>
          </fieldset>

          <For each={TEXT_FIELDS}>
            {(spec) => {
              const hintId = `${idOf(spec.field)}-hint`;
              return (
                <div class="field">
                  <label for={idOf(spec.field)}>{t(spec.label)}</label>
                  <textarea
                    id={idOf(spec.field)}
                    rows={spec.rows}
                    dir="auto"
                    value={draft[spec.field]}
                    aria-invalid={problem(spec.field) !== undefined}
                    aria-describedby={
                      [spec.hint !== undefined ? hintId : '', problem(spec.field) !== undefined ? errorIdOf(spec.field) : '']
                        .filter((x) => x !== '')
                        .join(' ') || undefined
                    }
                    data-testid={spec.testId}
                    onInput={(e) => {
                      touch(spec.field);
                      setDraft(spec.field, e.currentTarget.value);
                    }}
                  />
                  <Show when={spec.hint}>
                    {(hint) => (
                      <span class="field-hint muted" id={hintId}>
                        {t(hint())}
                      </span>
                    )}
                  </Show>
                  <FieldError field={spec.field} testId={`${spec.testId}-error`} />
                </div>
              );
            }}
          </For>

          <fieldset class="business-replies" data-testid="business-replies">
            <legend class="section-title">{t('business.replies')}</legend>
            <p class="field-hint muted">{t('business.repliesHint')}</p>
            <Show when={draft.replies.length === 0}>
              <p class="muted" data-testid="business-no-replies">
                {t('business.noReplies')}
              </p>
            </Show>
            <For each={draft.replies}>
              {(reply, i) => {
                const key = reply.key;
                const shortcutField = (): string => `reply.${i()}.shortcut`;
                const textField = (): string => `reply.${i()}.text`;
                const shortcutProblem = (): FieldProblem | undefined => problem(shortcutField(), `reply-${key}-shortcut`);
                const textProblem = (): FieldProblem | undefined => problem(textField(), `reply-${key}-text`);
                return (
                  <div class="business-reply" data-testid="business-reply" data-index={i()}>
                    <div class="business-reply-fields">
                      <div class="field">
                        <div class="handle-input" dir="ltr">
                          <span aria-hidden="true">/</span>
                          <input
                            id={replyId(key, 'shortcut')}
                            value={reply.shortcut}
                            autocomplete="off"
                            spellcheck={false}
                            autocapitalize="none"
                            aria-label={t('business.shortcut', { number: i() + 1 })}
                            aria-invalid={shortcutProblem() !== undefined}
                            aria-describedby={shortcutProblem() !== undefined ? `${replyId(key, 'shortcut')}-error` : undefined}
                            data-testid="business-reply-shortcut"
                            onInput={(e) => {
                              touch(`reply-${key}-shortcut`);
                              setDraft('replies', i(), 'shortcut', e.currentTarget.value);
                            }}
                          />
                        </div>
                        <FieldError
                          field={shortcutField()}
                          touchKey={`reply-${key}-shortcut`}
                          errorId={`${replyId(key, 'shortcut')}-error`}
                          testId="business-reply-shortcut-error"
                        />
                      </div>
                      <div class="field">
                        <textarea
                          id={replyId(key, 'text')}
                          rows={2}
                          dir="auto"
                          value={reply.text}
                          aria-label={t('business.replyText', { number: i() + 1 })}
                          aria-invalid={textProblem() !== undefined}
                          aria-describedby={textProblem() !== undefined ? `${replyId(key, 'text')}-error` : undefined}
                          data-testid="business-reply-text"
                          onInput={(e) => {
                            touch(`reply-${key}-text`);
                            setDraft('replies', i(), 'text', e.currentTarget.value);
                          }}
                        />
                        <FieldError
                          field={textField()}
                          touchKey={`reply-${key}-text`}
                          errorId={`${replyId(key, 'text')}-error`}
                          testId="business-reply-text-error"
                        />
                      </div>
                    </div>
                    <button
                      type="button"
                      class="icon-button"
                      aria-label={t('business.removeReply', { number: i() + 1 })}
                      title={t('business.removeReply', { number: i() + 1 })}
                      data-testid="business-reply-remove"
                      onClick={() => removeReply(i())}
                    >
                      <Icon name="trash" size={20} />
                    </button>
                  </div>
                );
              }}
            </For>
            <FieldError field="quickReplies" testId="business-replies-error" />
            <button
              type="button"
              class="button"
              id={`${base}-add-reply`}
              disabled={draft.replies.length >= MAX_QUICK_REPLIES}
              data-testid="business-reply-add"
              onClick={addReply}
            >
              <Icon name="add" size={18} />
              <span>{t('business.addReply')}</span>
            </button>
          </fieldset>

          <FormError message={formError()} />
          <Show when={saved()}>
            <p class="form-note" role="status" data-testid="business-profile-saved">
              {t('business.saved')}
            </p>
          </Show>
          <div class="form-actions">
            <button type="button" class="button" onClick={() => props.onClose()}>
              {t('common.close')}
            </button>
            <button type="submit" class="button primary" disabled={busy()} data-testid="business-profile-save">
              {t('common.save')}
            </button>
          </div>
        </form>
      </Show>
    </Dialog>
  );
}
