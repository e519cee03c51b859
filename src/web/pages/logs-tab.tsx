import { useEffect, useId, useRef, useState } from 'react';
import { unwrap, type Store, type StoreLogs } from '../api/client';
import { ProblemAlert } from '../components/problem-alert';
import { useSession } from '../context';
import { useAsync, useInterval } from '../lib/hooks';

const TAILS = [50, 200, 1000] as const;
const FOLLOW_MS = 2000;

export function LogsTab(props: { store: Store }) {
  const { api } = useSession();
  const id = props.store.id;
  const uid = useId();
  const [component, setComponent] = useState('');
  const [tail, setTail] = useState<number>(200);
  const [follow, setFollow] = useState(false);
  const bottom = useRef<HTMLDivElement>(null);

  const logs = useAsync<StoreLogs>(
    (signal) =>
      unwrap(api.GET('/api/v1/stores/{id}/logs', { params: { path: { id }, query: { tail, ...(component ? { component } : {}) } }, signal })),
    [api, id, component, tail],
  );
  useInterval(logs.reload, FOLLOW_MS, follow);
  useEffect(() => {
    if (follow) bottom.current?.scrollIntoView({ block: 'nearest' });
  }, [logs.data, follow]);

  const entries = logs.data?.entries ?? [];
  return (
    <section aria-label="Logs">
      <div className="section-head">
        <h2>Logs</h2>
      </div>
      <div className="toolbar">
        <div className="field field-inline">
          <label htmlFor={`${uid}-component`}>Component</label>
          <select id={`${uid}-component`} value={component} onChange={(e) => setComponent(e.target.value)}>
            <option value="">All components</option>
            {props.store.components.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </div>
        <div className="field field-inline">
          <label htmlFor={`${uid}-tail`}>Lines</label>
          <select id={`${uid}-tail`} value={tail} onChange={(e) => setTail(Number(e.target.value))}>
            {TAILS.map((t) => (
              <option key={t} value={t}>
                last {t}
              </option>
            ))}
          </select>
        </div>
        <div className="field field-check">
          <input id={`${uid}-follow`} type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} />
          <label htmlFor={`${uid}-follow`}>Follow</label>
        </div>
        <button type="button" className="button" onClick={logs.reload}>
          Refresh
        </button>
      </div>
      <ProblemAlert error={logs.error} prefix="Could not read the logs" />
      {logs.data !== undefined && entries.length === 0 ? <p className="muted">No containers with logs{component ? ` for ${component}` : ''}.</p> : null}
      {entries.map((e) => (
        <div key={`${e.pod}/${e.container}`} className="log-block">
          <h3 className="log-title">
            <code>{e.pod}</code> <span className="muted">/ {e.container}</span>
          </h3>
          <pre className="log" tabIndex={0} aria-label={`Log of ${e.pod}, container ${e.container}`}>
            {e.lines.length > 0 ? e.lines.join('\n') : '(no output)'}
          </pre>
        </div>
      ))}
      <div ref={bottom} />
    </section>
  );
}
