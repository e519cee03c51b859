import { useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError, unwrap, type Store } from '../api/client';
import { useSession } from '../context';
import { useEngines } from '../lib/engines';
import {
  EMPTY_FORM,
  PLANS,
  serverFieldErrors,
  validateStoreForm,
  type FieldErrors,
  type StoreField,
  type StoreFormValues,
} from '../lib/store-form';
import { Modal } from './modal';
import { ProblemAlert } from './problem-alert';

const PLAN_LABEL: Record<string, string> = { small: 'Small', standard: 'Standard', large: 'Large' };

function Field(props: {
  id: string;
  label: string;
  hint?: string;
  error: string | undefined;
  children: (a11y: { id: string; 'aria-invalid': boolean; 'aria-describedby': string | undefined }) => ReactNode;
}) {
  const hintId = props.hint ? `${props.id}-hint` : undefined;
  const errId = props.error ? `${props.id}-error` : undefined;
  const describedBy = [hintId, errId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field ${props.error ? 'field-invalid' : ''}`}>
      <label htmlFor={props.id}>{props.label}</label>
      {props.children({ id: props.id, 'aria-invalid': props.error !== undefined, 'aria-describedby': describedBy })}
      {props.hint ? (
        <small id={hintId} className="hint">
          {props.hint}
        </small>
      ) : null}
      {props.error ? (
        <small id={errId} className="field-error">
          {props.error}
        </small>
      ) : null}
    </div>
  );
}

/** The create form: the API's validation rules inline, then POST /stores with an Idempotency-Key. */
export function CreateStoreForm(props: { onCreated: (store: Store) => void; onCancel: () => void }) {
  const { api } = useSession();
  const uid = useId();
  const [values, setValues] = useState<StoreFormValues>(EMPTY_FORM);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [touched, setTouched] = useState<Partial<Record<StoreField, boolean>>>({});
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiError>();
  // one key per dialog: a double submit or a retry after a network error cannot make two stores
  const idempotencyKey = useRef(crypto.randomUUID());
  const formRef = useRef<HTMLFormElement>(null);

  // the engines the platform offers and each one's plans, from the API (the engine registry)
  const engines = useEngines();
  const plansOf = (engine: string): readonly string[] => engines.data?.find((e) => e.name === engine)?.plans ?? PLANS;

  const shown = (f: StoreField) => (submitted || touched[f] ? errors[f] : undefined);
  const update = (f: StoreField, v: string | boolean) => {
    const next = { ...values, [f]: v };
    // a plan the new engine does not offer falls back to its first
    if (f === 'engine' && !plansOf(next.engine).includes(next.plan)) next.plan = plansOf(next.engine)[0] ?? next.plan;
    setValues(next);
    const r = validateStoreForm(next);
    setErrors(r.ok ? {} : r.errors);
  };
  const blur = (f: StoreField) => {
    setTouched((t) => ({ ...t, [f]: true }));
    const r = validateStoreForm(values);
    setErrors(r.ok ? {} : r.errors);
  };
  const focusFirstInvalid = (errs: FieldErrors) => {
    const first = (Object.keys(EMPTY_FORM) as StoreField[]).find((f) => errs[f] !== undefined);
    if (first) formRef.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    setProblem(undefined);
    const r = validateStoreForm(values);
    if (!r.ok) {
      setErrors(r.errors);
      focusFirstInvalid(r.errors);
      return;
    }
    setBusy(true);
    try {
      const store = await unwrap(api.POST('/api/v1/stores', { body: r.body, headers: { 'idempotency-key': idempotencyKey.current } }));
      props.onCreated(store);
    } catch (err) {
      const apiErr = err as ApiError;
      const fieldErrs = apiErr.status === 409 ? { name: apiErr.problem.detail ?? 'this name is taken' } : serverFieldErrors(apiErr.problem?.errors);
      if (Object.keys(fieldErrs).length > 0) {
        setErrors(fieldErrs);
        focusFirstInvalid(fieldErrs);
      }
      setProblem(apiErr);
      if (apiErr.status !== 0) idempotencyKey.current = crypto.randomUUID(); // the server answered: a new attempt is a new request
    } finally {
      setBusy(false);
    }
  };

  const text = (f: StoreField, label: string, opts: { hint?: string; type?: string; autoComplete?: string; placeholder?: string; transform?: (v: string) => string } = {}) => (
    <Field id={`${uid}-${f}`} label={label} error={shown(f)} {...(opts.hint ? { hint: opts.hint } : {})}>
      {(a11y) => (
        <input
          {...a11y}
          name={f}
          type={opts.type ?? 'text'}
          value={values[f] as string}
          autoComplete={opts.autoComplete ?? 'off'}
          spellCheck={false}
          placeholder={opts.placeholder}
          onChange={(e) => update(f, opts.transform ? opts.transform(e.target.value) : e.target.value)}
          onBlur={() => blur(f)}
        />
      )}
    </Field>
  );

  return (
    <form ref={formRef} noValidate onSubmit={(e) => void submit(e)} className="form" aria-label="Create store">
      {text('name', 'Name', { hint: 'Lowercase letters, digits and "-", 3–40 characters. Becomes the namespace store-<name> and the host name.', placeholder: 'acme-shop' })}
      {text('title', 'Store title', { hint: 'Optional: the name in title case when left empty.', placeholder: 'Acme Shop' })}
      {text('adminEmail', 'Admin email', { type: 'email', autoComplete: 'email', placeholder: 'owner@example.com' })}
      <div className="field-row">
        <Field id={`${uid}-engine`} label="Engine" error={shown('engine')}>
          {(a11y) => (
            <select {...a11y} name="engine" value={values.engine} onChange={(e) => update('engine', e.target.value)} onBlur={() => blur('engine')}>
              {(engines.data ?? [{ name: values.engine, title: values.engine }]).map((en) => (
                <option key={en.name} value={en.name}>
                  {en.title}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id={`${uid}-plan`} label="Plan" error={shown('plan')}>
          {(a11y) => (
            <select {...a11y} name="plan" value={values.plan} onChange={(e) => update('plan', e.target.value)} onBlur={() => blur('plan')}>
              {plansOf(values.engine).map((p) => (
                <option key={p} value={p}>
                  {PLAN_LABEL[p] ?? p}
                </option>
              ))}
            </select>
          )}
        </Field>
        {text('currency', 'Currency', { hint: 'ISO 4217, e.g. USD', transform: (v) => v.toUpperCase() })}
      </div>
      {text('customDomain', 'Custom domain (optional)', { hint: 'Serve the store on this host instead of <name>.<base domain>.', placeholder: 'shop.example.com' })}
      <div className="field field-check">
        <input
          id={`${uid}-teardown`}
          name="teardownOnFailure"
          type="checkbox"
          checked={values.teardownOnFailure}
          onChange={(e) => update('teardownOnFailure', e.target.checked)}
        />
        <label htmlFor={`${uid}-teardown`}>Delete the store automatically if provisioning fails</label>
      </div>
      <ProblemAlert error={problem} prefix="Not created" />
      <div className="form-actions">
        <button type="button" className="button" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create store'}
        </button>
      </div>
    </form>
  );
}

export function CreateStoreDialog(props: { open: boolean; onClose: () => void; onCreated: (store: Store) => void }) {
  return (
    <Modal open={props.open} title="Create a store" onClose={props.onClose}>
      <CreateStoreForm onCancel={props.onClose} onCreated={props.onCreated} />
    </Modal>
  );
}
