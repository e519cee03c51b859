import { useId, useState } from 'react';
import { Link } from 'wouter';
import { unwrap, type AuditEntry } from '../api/client';
import { ProblemAlert } from '../components/problem-alert';
import { TimeText } from '../components/time-text';
import { useSession } from '../context';
import { useAsync } from '../lib/hooks';

const SIZES = [25, 50, 100] as const;
const STORE_ID = /^[A-Za-z0-9_-]{8,64}$/;

/** The audit log, newest first, one page at a time (cursor pagination; earlier cursors kept for Previous). */
export function AuditPage() {
  const { api } = useSession();
  const uid = useId();
  const [limit, setLimit] = useState<number>(25);
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const page = useAsync(
    (signal) => unwrap(api.GET('/api/v1/audit', { params: { query: { limit, ...(cursor ? { cursor } : {}) } }, signal })),
    [api, limit, cursor],
  );
  const items: AuditEntry[] = page.data?.items ?? [];
  const pageNo = cursors.length;

  return (
    <>
      <div className="page-head">
        <h1>Audit log</h1>
        <div className="spacer" />
        <div className="field field-inline">
          <label htmlFor={`${uid}-size`}>Per page</label>
          <select
            id={`${uid}-size`}
            value={limit}
            onChange={(e) => {
              setLimit(Number(e.target.value));
              setCursors([undefined]);
            }}
          >
            {SIZES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <button type="button" className="button" onClick={page.reload}>
          Refresh
        </button>
      </div>
      <p className="muted">Every change, and every read of credentials, with the key that asked. Newest first.</p>
      <ProblemAlert error={page.error} prefix="Could not load the audit log" />
      {page.data !== undefined && items.length === 0 ? <div className="empty card">No entries yet: changes made through the API appear here.</div> : null}
      {items.length > 0 ? (
        <div className="table-wrap">
          <table className="table audit-table" aria-busy={page.loading}>
            <caption className="visually-hidden">Audit log page {pageNo}</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Key</th>
                <th scope="col">Action</th>
                <th scope="col">Target</th>
                <th scope="col">Outcome</th>
                <th scope="col">Detail</th>
                <th scope="col">Request</th>
              </tr>
            </thead>
            <tbody>
              {items.map((a) => (
                <tr key={a.id}>
                  <td data-label="Time">
                    <TimeText iso={a.at} stacked />
                  </td>
                  <td data-label="Key">
                    <code>{a.actor}</code>
                  </td>
                  <td data-label="Action">{a.action}</td>
                  <td data-label="Target">
                    {a.action.startsWith('store.') && STORE_ID.test(a.target) ? (
                      <Link href={`/stores/${a.target}`}>
                        <code>{a.target}</code>
                      </Link>
                    ) : (
                      <code>{a.target}</code>
                    )}
                  </td>
                  <td data-label="Outcome">
                    <span className={`outcome outcome-${a.outcome}`}>{a.outcome}</span>
                  </td>
                  <td data-label="Detail">{a.detail ?? ''}</td>
                  <td data-label="Request" className="small muted">
                    {a.requestId ?? ''}
                    {a.ip ? <div>{a.ip}</div> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <nav className="pager" aria-label="Audit log pages">
        <button type="button" className="button" disabled={pageNo === 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
          ← Newer
        </button>
        <span aria-live="polite">Page {pageNo}</span>
        <button
          type="button"
          className="button"
          disabled={!page.data?.nextCursor}
          onClick={() => {
            const next = page.data?.nextCursor;
            if (next) setCursors((c) => [...c, next]);
          }}
        >
          Older →
        </button>
      </nav>
    </>
  );
}
