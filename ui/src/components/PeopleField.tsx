// A username field that suggests the people this device knows (everyone sharing a chat) as
// the user types, by username or display name (case and diacritics ignored): a combobox
// with a listbox popup. Down / Up move through the suggestions, Enter picks the active one
// (without one, Enter submits the form as usual), Esc closes the list. Picking fills in the
// username; any username can still be typed by hand.

import { For, Show, createMemo, createSignal, createUniqueId, type JSX } from 'solid-js';
import { lastUsername, matchPeople, replaceLastUsername } from '../lib/peopleSearch';
import { parseUsernames } from '../lib/text';
import type { Account, AccountId } from '../platform/types';
import { useApp } from '../stores/app';

/** What a `PeopleField` shows and where its text goes. */
export interface PeopleFieldProps {
  /** The field's visible label. */
  label: string;
  value: string;
  onInput: (value: string) => void;
  /** The input's `data-testid`. */
  testId: string;
  placeholder?: string;
  /** The field holds several usernames (separated as `parseUsernames` reads them): suggests for the last. */
  several?: boolean;
  /** People never suggested (besides this account), e.g. a group's members. */
  exclude?: readonly AccountId[];
  /** The field takes the free width of its row. */
  grow?: boolean;
}

/** A username input with suggestions of known people (`people-suggestions`). */
export function PeopleField(props: PeopleFieldProps): JSX.Element {
  const app = useApp();
  const t = app.settings.t;
  const inputId = createUniqueId();
  const listId = createUniqueId();
  const [open, setOpen] = createSignal(false);
  const [active, setActive] = createSignal(-1);

  const query = (): string => (props.several === true ? lastUsername(props.value).query : props.value);
  const suggestions = createMemo((): Account[] => {
    if (!open()) return [];
    const exclude = new Set<AccountId>(props.exclude ?? []);
    const me = app.session.account();
    if (me !== null) exclude.add(me.id);
    const typed = props.several === true ? parseUsernames(props.value.slice(0, lastUsername(props.value).start)) : [];
    const people = app.people.all().filter((p) => !typed.includes(p.username));
    return matchPeople(people, query(), exclude);
  });
  const shown = (): boolean => suggestions().length > 0;
  const optionId = (account: Account): string => `${listId}-${account.id}`;
  const activeOption = (): Account | undefined => suggestions()[active()];
  const activeId = (): string | undefined => {
    const account = activeOption();
    return account === undefined ? undefined : optionId(account);
  };

  const close = (): void => {
    setOpen(false);
    setActive(-1);
  };
  const pick = (account: Account): void => {
    props.onInput(props.several === true ? replaceLastUsername(props.value, account.username) : account.username);
    close();
  };
  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.isComposing) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      setOpen(true);
      const total = suggestions().length;
      if (total === 0) return;
      event.preventDefault();
      setActive((i) => (event.key === 'ArrowDown' ? (i + 1) % total : i <= 0 ? total - 1 : i - 1));
    } else if (event.key === 'Enter') {
      const chosen = activeOption();
      if (chosen === undefined) return;
      event.preventDefault();
      pick(chosen);
    } else if (event.key === 'Escape' && shown()) {
      event.preventDefault();
      event.stopPropagation();
      close();
    }
  };

  return (
    <div class="field" classList={{ grow: props.grow === true }}>
      <label for={inputId}>{props.label}</label>
      <input
        id={inputId}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={shown()}
        aria-controls={shown() ? listId : undefined}
        aria-activedescendant={activeId()}
        value={props.value}
        placeholder={props.placeholder}
        autocomplete="off"
        spellcheck={false}
        data-testid={props.testId}
        onInput={(e) => {
          props.onInput(e.currentTarget.value);
          setActive(-1);
          setOpen(true);
        }}
        onKeyDown={onKeyDown}
        onBlur={close}
      />
      <Show when={shown()}>
        <ul class="people-suggestions" role="listbox" id={listId} aria-label={t('people.suggestions')} data-testid="people-suggestions">
          <For each={suggestions()}>
            {(account, index) => (
              <li
                id={optionId(account)}
                role="option"
                class="people-option"
                aria-selected={index() === active()}
                data-testid={`people-option-${account.id}`}
                dir="auto"
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => pick(account)}
              >
                <Show when={account.displayName.trim() !== ''}>
                  <bdi class="people-option-name">{app.people.name(account)}</bdi>{' '}
                </Show>
                <bdi class="people-option-username">@{account.username}</bdi>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </div>
  );
}
