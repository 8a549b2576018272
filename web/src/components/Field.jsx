import { useEffect, useRef } from 'preact/hooks';
import { t } from '../i18n.js';

// A labelled form control whose hint and error are tied to it (aria-describedby, aria-invalid).
//   as: 'input' (default) or 'select'; errors: the reasons for this field; hideLabel: the label is for screen
//   readers only (inside table rows, where the column header says it).
export function Field({ id, label, hint, errors, as = 'input', hideLabel, children, class: className, ...control }) {
  const Control = as;
  const hintId = hint ? `${id}-hint` : null;
  const errorId = errors?.length ? `${id}-error` : null;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  const checkbox = control.type === 'checkbox';
  const input = (
    <Control id={id} aria-describedby={describedBy} aria-invalid={errorId ? 'true' : undefined} {...control}>
      {children}
    </Control>
  );
  return (
    <div class={`field${checkbox ? ' field-checkbox' : ''}${errorId ? ' field-invalid' : ''}${className ? ` ${className}` : ''}`}>
      {checkbox && input}
      <label for={id} class={hideLabel ? 'visually-hidden' : undefined}>{label}</label>
      {hint && <span id={hintId} class="hint">{hint}</span>}
      {errorId && (
        <span id={errorId} class="field-error">
          <span class="visually-hidden">{t('form.error_prefix')} </span>
          {errors.join(' ')}
        </span>
      )}
      {!checkbox && input}
    </div>
  );
}

// Every problem of a refused form, at its top: each links to its field when the field is on the page. It takes the
// focus when it appears, so keyboard and screen-reader users land on it.
//   problems: [{target: element id or null, field, reason}]
export function ErrorSummary({ title, problems }) {
  const ref = useRef(null);
  useEffect(() => {
    if (problems.length) ref.current?.focus();
  }, [problems]);
  if (!problems.length) return null;
  return (
    <div class="error-summary" role="alert" tabIndex={-1} ref={ref} aria-labelledby="error-summary-title">
      <h3 id="error-summary-title">{title}</h3>
      <ul>
        {problems.map((p, i) => (
          <li key={i}>
            {p.target ? <a href={`#${p.target}`} onClick={(e) => focusField(e, p.target)}>{describe(p)}</a> : describe(p)}
          </li>
        ))}
      </ul>
    </div>
  );
}

const describe = (p) => (p.field ? <><code>{p.field}</code>: {p.reason}</> : p.reason);

function focusField(event, id) {
  event.preventDefault();
  const element = document.getElementById(id);
  element?.scrollIntoView({ block: 'center' });
  element?.focus();
}
