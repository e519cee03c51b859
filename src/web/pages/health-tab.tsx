import { unwrap, type Store, type StoreHealth } from '../api/client';
import { ProblemAlert } from '../components/problem-alert';
import { useSession } from '../context';
import { formatAge, quotaFraction } from '../lib/format';
import { useAsync, useInterval } from '../lib/hooks';

const REFRESH_MS = 5000;

export function QuotaBar(props: { resource: string; used: string; hard: string }) {
  const f = quotaFraction(props.used, props.hard);
  const pct = Math.round(f * 100);
  const level = f >= 0.9 ? 'high' : f >= 0.7 ? 'mid' : 'low';
  return (
    <li className="quota">
      <div className="quota-label">
        <span>{props.resource}</span>
        <span className="muted">
          {props.used} / {props.hard}
        </span>
      </div>
      <div
        className={`bar bar-${level}`}
        role="meter"
        aria-label={`${props.resource} used`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        aria-valuetext={`${props.used} of ${props.hard} (${pct}%)`}
      >
        <div className="bar-fill" style={{ width: `${pct}%` }} />
      </div>
    </li>
  );
}

export function HealthTab(props: { store: Store }) {
  const { api } = useSession();
  const id = props.store.id;
  const health = useAsync<StoreHealth>((signal) => unwrap(api.GET('/api/v1/stores/{id}/health', { params: { path: { id } }, signal })), [api, id]);
  useInterval(health.reload, REFRESH_MS, props.store.status !== 'Deleted');
  const h = health.data;
  return (
    <section aria-label="Health" aria-busy={health.loading}>
      <div className="section-head">
        <h2>Health</h2>
        <button type="button" className="button" onClick={health.reload}>
          Refresh
        </button>
        <span className="muted small">Refreshes every {REFRESH_MS / 1000} s</span>
      </div>
      <ProblemAlert error={health.error} prefix="Could not read the store's health" />
      {h === undefined ? (
        health.loading ? <p className="muted">Loading…</p> : null
      ) : (
        <div className="health-grid">
          <div className="card">
            <h3>Pods</h3>
            {h.pods.length === 0 ? (
              <p className="muted">No pods.</p>
            ) : (
              <div className="table-wrap">
                <table className="table compact">
                  <thead>
                    <tr>
                      <th scope="col">Pod</th>
                      <th scope="col">Component</th>
                      <th scope="col">Phase</th>
                      <th scope="col">Ready</th>
                      <th scope="col">Restarts</th>
                      <th scope="col">Age</th>
                    </tr>
                  </thead>
                  <tbody>
                    {h.pods.map((p) => (
                      <tr key={p.name}>
                        <td data-label="Pod">
                          <code>{p.name}</code>
                        </td>
                        <td data-label="Component">{p.component ?? '—'}</td>
                        <td data-label="Phase">{p.phase}</td>
                        <td data-label="Ready">
                          {p.phase === 'Succeeded' ? (
                            <span className="muted">Completed</span>
                          ) : (
                            <span className={p.ready ? 'text-ok' : 'text-error'}>{p.ready ? '✓ Ready' : '✕ Not ready'}</span>
                          )}
                        </td>
                        <td data-label="Restarts" className={p.restarts > 0 ? 'text-warn' : ''}>
                          {p.restarts}
                          {p.lastTermination ? <span className="text-error"> (last: {p.lastTermination})</span> : null}
                        </td>
                        <td data-label="Age">{formatAge(p.ageSeconds)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </div>
          <div className="card">
            <h3>Mail</h3>
            <p>
              <span className={h.mail.status === 'relay' ? 'text-ok' : 'text-warn'}>
                {h.mail.status === 'relay' ? '✓ Sends mail' : h.mail.status === 'off' ? '✕ Mail off' : '— No mail'}
              </span>
              {h.mail.relay ? <> via <code>{h.mail.relay}</code></> : null}
              {h.mail.from ? <> from <code>{h.mail.from}</code></> : null}
            </p>
            <p className="muted small">{h.mail.detail}</p>
          </div>
          <div className="card">
            <h3>Volumes</h3>
            {h.pvcs.length === 0 ? (
              <p className="muted">No PersistentVolumeClaims.</p>
            ) : (
              <ul className="plain-list">
                {h.pvcs.map((v) => (
                  <li key={v.name}>
                    <code>{v.name}</code> <span className={v.phase === 'Bound' ? 'text-ok' : 'text-warn'}>{v.phase}</span>{' '}
                    <span className="muted">{v.size ?? ''}</span>
                  </li>
                ))}
              </ul>
            )}
          </div>
          <div className="card">
            <h3>Quota</h3>
            {h.quota.length === 0 ? (
              <p className="muted">No ResourceQuota.</p>
            ) : (
              <ul className="plain-list quotas">
                {h.quota.map((q) => (
                  <QuotaBar key={q.resource} {...q} />
                ))}
              </ul>
            )}
          </div>
        </div>
      )}
    </section>
  );
}
