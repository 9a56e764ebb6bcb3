// A form's error line: announced at once (role=alert), shown only while there is one.

import { Show, type JSX } from 'solid-js';

/** Shows `message` as the form's error, or nothing when it is null or empty. */
export function FormError(props: { message: string | null | undefined }): JSX.Element {
  return (
    <Show when={props.message}>
      {(text) => (
        <p class="form-error" role="alert" data-testid="form-error">
          {text()}
        </p>
      )}
    </Show>
  );
}
