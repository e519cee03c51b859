import type { ApiError } from '../api/client';

/** An API problem as a one-paragraph alert (title, detail and the request id for support). */
export function ProblemAlert(props: { error: ApiError | undefined; prefix?: string }) {
  const { error } = props;
  if (error === undefined) return null;
  const p = error.problem;
  return (
    <div role="alert" className="alert alert-error">
      <strong>{props.prefix ? `${props.prefix}: ` : ''}{p.title}</strong>
      {p.detail ? <span> — {p.detail}</span> : null}
      {p.requestId ? <small className="muted"> (request {p.requestId})</small> : null}
    </div>
  );
}
