import type { FC } from 'hono/jsx';

interface FieldProps {
  id: string;
  name: string;
  label: string;
  value?: string;
  hint?: string;
  errors?: string[];
  required?: boolean;
  /** The language of the value, when it differs from the page's. */
  lang?: string;
}

const describedBy = ({ id, hint, errors }: FieldProps) =>
  [hint ? `${id}-hint` : '', errors?.length ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;

const Hint: FC<{ id: string; hint?: string }> = ({ id, hint }) =>
  hint ? (
    <p class="hint" id={`${id}-hint`}>
      {hint}
    </p>
  ) : null;

/** Validation messages beside the field they concern. */
export const FieldErrors: FC<{ id: string; errors?: string[] }> = ({ id, errors }) =>
  errors?.length ? (
    <p class="error" id={`${id}-error`}>
      {errors.join('; ')}
    </p>
  ) : null;

/** A labelled one-line input with its hint and errors. */
export const TextField: FC<
  FieldProps & { type?: 'text' | 'url' | 'password' | 'search' | 'datetime-local' | 'number'; autocomplete?: string; step?: string }
> = (props) => (
  <div>
    <label for={props.id}>{props.label}</label>
    <Hint id={props.id} hint={props.hint} />
    <input
      type={props.type ?? 'text'}
      id={props.id}
      name={props.name}
      value={props.value ?? ''}
      required={props.required}
      autocomplete={props.autocomplete}
      step={props.step}
      lang={props.lang}
      aria-describedby={describedBy(props)}
      aria-invalid={props.errors?.length ? 'true' : undefined}
    />
    <FieldErrors id={props.id} errors={props.errors} />
  </div>
);

/** A labelled multi-line input. */
export const TextArea: FC<FieldProps & { class?: string; rows?: number }> = (props) => (
  <div>
    <label for={props.id}>{props.label}</label>
    <Hint id={props.id} hint={props.hint} />
    <textarea
      id={props.id}
      name={props.name}
      class={props.class}
      rows={props.rows}
      lang={props.lang}
      required={props.required}
      aria-describedby={describedBy(props)}
      aria-invalid={props.errors?.length ? 'true' : undefined}
    >
      {props.value ?? ''}
    </textarea>
    <FieldErrors id={props.id} errors={props.errors} />
  </div>
);

/** A labelled choice among fixed options. */
export const SelectField: FC<FieldProps & { options: { value: string; label: string }[] }> = (props) => (
  <div>
    <label for={props.id}>{props.label}</label>
    <Hint id={props.id} hint={props.hint} />
    <select id={props.id} name={props.name} aria-describedby={describedBy(props)} aria-invalid={props.errors?.length ? 'true' : undefined}>
      {props.options.map((option) => (
        <option value={option.value} selected={option.value === props.value}>
          {option.label}
        </option>
      ))}
    </select>
    <FieldErrors id={props.id} errors={props.errors} />
  </div>
);

/** A labelled checkbox (sent as "on" when ticked). */
export const CheckboxField: FC<{ id: string; name: string; label: string; checked: boolean }> = (props) => (
  <div class="check">
    <input type="checkbox" id={props.id} name={props.name} checked={props.checked} />
    <label for={props.id}>{props.label}</label>
  </div>
);
