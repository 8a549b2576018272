// The stage's checklist (alat kerja pengawasan; GET /checklists?stage=), answered in a report if the supervisor
// chooses to: then every question is answered, "ya"/"tidak", a whole number or a text as the question asks.
import { api } from '../../api.js';
import { Field } from '../../components/Field.jsx';
import { ErrorBox, Loading } from '../../components/Status.jsx';
import { useLoader } from '../../hooks.js';
import { lang, t } from '../../i18n.js';
import { GroupError } from '../operator/common.jsx';

// value: {use, list: the checklist or null, answers: [text per question]}
export function ChecklistFields({ f, stage, value, onChange }) {
  const { data, error, loading } = useLoader(async (signal) => (await api.checklists(stage, signal)).checklists[0] || null,
    [stage]);
  const group = f('checklist');
  const en = lang.value === 'en';
  const setAnswer = (i, answer) => {
    const answers = value.answers.slice();
    answers[i] = answer;
    onChange({ ...value, answers });
  };
  return (
    <fieldset id={group.id} tabIndex={-1}>
      <legend>{t('checklist.legend')}</legend>
      <GroupError {...group} />
      <GroupError {...f('checklist.id')} />
      {loading && <Loading />}
      {error && <ErrorBox error={error} title={t('checklist.error')} />}
      {data === null && !loading && !error && <p>{t('checklist.none')}</p>}
      {data && (
        <>
          <Field id="report-checklist-use" type="checkbox" checked={value.use}
            label={t('checklist.use', { title: en ? data.title_en : data.title, n: data.questions.length })}
            onChange={(e) => onChange({ use: e.currentTarget.checked, list: data, answers: value.answers })} />
          {value.use && (
            <div class="checklist" id={f('checklist.answers').id} tabIndex={-1}>
              <GroupError {...f('checklist.answers')} />
              <p class="hint">{t('checklist.hint')}</p>
              <ol class="question-list">
                {data.questions.map((q, i) => (
                  <li key={q.id}>
                    <Question f={f} i={i} question={q} text={`${i + 1}. ${en ? q.text_en : q.text}`} value={value.answers[i] || ''}
                      onAnswer={(answer) => setAnswer(i, answer)} />
                  </li>
                ))}
              </ol>
            </div>
          )}
        </>
      )}
    </fieldset>
  );
}

function Question({ f, i, question, text, value, onAnswer }) {
  const field = f(`checklist.answers[${i}].answer`);
  if (question.answer === 'yes_no') {
    const errorId = field.errors?.length ? `${field.id}-error` : undefined;
    return (
      <fieldset class="question" id={field.id} tabIndex={-1} aria-describedby={errorId}>
        <legend>{text}</legend>
        <GroupError {...field} />
        <div class="radio-row">
          {['ya', 'tidak'].map((answer) => (
            <label key={answer} class="radio">
              <input type="radio" name={`report-question-${i}`} value={answer} checked={value === answer}
                aria-invalid={errorId ? 'true' : undefined} onChange={() => onAnswer(answer)} />
              {t(`checklist.${answer}`)}
            </label>
          ))}
        </div>
      </fieldset>
    );
  }
  const count = question.answer === 'count' ? { type: 'number', inputMode: 'numeric', min: '0', step: '1' } : {};
  return <Field {...field} {...count} label={text} value={value} onInput={(e) => onAnswer(e.currentTarget.value)} />;
}

// The questions left unanswered, as problems beside them.
export const unanswered = (questions, answers) => questions.flatMap((_, i) => (
  String(answers[i] ?? '').trim() ? [] : [{ field: `checklist.answers[${i}].answer`, reason: t('form.required') }]));

export const checklistAnswers = (list, answers) => ({
  id: list.id,
  version: list.version,
  answers: list.questions.map((q, i) => ({ question: q.id, answer: String(answers[i]).trim() })),
});
