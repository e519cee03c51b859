import { useId, useState, type FormEvent } from 'react';
import { ApiError, whoAmI } from '../api/client';
import { ProblemAlert } from '../components/problem-alert';
import type { Session } from '../lib/session';

/** Sign-in with an API key; the key stays in sessionStorage for this browser tab only. */
export function SignInPage(props: { notice: string | null; onSignIn: (s: Session) => void; baseUrl?: string }) {
  const id = useId();
  const [key, setKey] = useState('');
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const [empty, setEmpty] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const apiKey = key.trim();
    if (apiKey === '') {
      setEmpty(true);
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const who = await whoAmI(apiKey, props.baseUrl);
      props.onSignIn({ apiKey, ...who });
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 401
          ? new ApiError({ ...err.problem, title: 'Sign-in failed', detail: 'the platform does not know this API key (or it was revoked)' })
          : (err as ApiError),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" className="sign-in">
      <div className="card sign-in-card">
        <h1>
          <span className="logo" aria-hidden="true">
            ▣
          </span>{' '}
          Store Platform
        </h1>
        <p className="muted">Sign in with an API key. Admins create them with <code>store-platform keys create --role admin|viewer</code>.</p>
        {props.notice ? (
          <div role="alert" className="alert alert-warn">
            {props.notice}
          </div>
        ) : null}
        <form onSubmit={(e) => void submit(e)} noValidate className="form">
          <div className={`field ${empty ? 'field-invalid' : ''}`}>
            <label htmlFor={`${id}-key`}>API key</label>
            <input
              id={`${id}-key`}
              name="apiKey"
              type="password"
              autoComplete="off"
              spellCheck={false}
              value={key}
              aria-invalid={empty}
              aria-describedby={`${id}-hint${empty ? ` ${id}-err` : ''}`}
              onChange={(e) => {
                setKey(e.target.value);
                setEmpty(false);
              }}
              autoFocus
            />
            <small id={`${id}-hint`} className="hint">
              Kept for this browser tab only; closing it signs you out.
            </small>
            {empty ? (
              <small id={`${id}-err`} className="field-error">
                enter an API key
              </small>
            ) : null}
          </div>
          <ProblemAlert error={error} />
          <button type="submit" className="button button-primary button-block" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      </div>
    </main>
  );
}
