import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { Link, useSearchParams } from 'wouter';
import { ApiError, STORE_STATUSES, unwrap, type Store, type StoreEvent, type StoreStatus } from '../api/client';
import { followSse } from '../api/sse';
import { CreateStoreDialog } from '../components/create-store-dialog';
import { OwnerUsage } from '../components/owner-usage';
import { ProblemAlert } from '../components/problem-alert';
import { StatusBadge } from '../components/status-badge';
import { TimeText } from '../components/time-text';
import { useToast } from '../components/toasts';
import { useSession } from '../context';
import { storeVersion } from '../lib/format';

const PAGE = 50;

function isStatus(s: string | null): s is StoreStatus {
  return s !== null && (STORE_STATUSES as readonly string[]).includes(s);
}

/** Newest first, as the API sorts them. */
const byNewest = (a: Store, b: Store) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id);

export function StoresPage() {
  const { api, canWrite, session, actingOwner } = useSession();
  const toast = useToast();
  const filterId = useId();
  const [params, setParams] = useSearchParams();
  const status = isStatus(params.get('status')) ? (params.get('status') as StoreStatus) : undefined;
  const [stores, setStores] = useState<Store[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError>();
  const [live, setLive] = useState(false);
  const [lastStep, setLastStep] = useState<Record<string, string>>({});
  const [creating, setCreating] = useState(false);
  const createButton = useRef<HTMLButtonElement>(null);
  const statusRef = useRef(status);
  statusRef.current = status;

  const fetchPage = useCallback(
    (cursor?: string) => unwrap(api.GET('/api/v1/stores', { params: { query: { limit: PAGE, ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) } } })),
    [api, status],
  );

  const reload = useCallback(() => {
    setLoading(true);
    fetchPage().then(
      (page) => {
        setStores(page.items);
        setNextCursor(page.nextCursor);
        setError(undefined);
        setLoading(false);
      },
      (err: ApiError) => {
        setError(err);
        setLoading(false);
      },
    );
  }, [fetchPage]);

  useEffect(reload, [reload]);

  // queue positions of Pending stores move when other stores start: refresh the first page now and then
  const refreshTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const refreshSoon = useCallback(() => {
    clearTimeout(refreshTimer.current);
    refreshTimer.current = setTimeout(() => {
      fetchPage().then(
        (page) => setStores((cur) => {
          const fresh = new Map(page.items.map((s) => [s.id, s]));
          const merged = cur.map((s) => fresh.get(s.id) ?? s);
          for (const s of page.items) if (!cur.some((c) => c.id === s.id)) merged.push(s);
          return merged.sort(byNewest);
        }),
        () => undefined,
      );
    }, 400);
  }, [fetchPage]);
  useEffect(() => () => clearTimeout(refreshTimer.current), []);

  const upsert = useCallback((store: Store) => {
    setStores((cur) => {
      const others = cur.filter((s) => s.id !== store.id);
      const filter = statusRef.current;
      if (filter !== undefined && store.status !== filter) return others;
      return [...others, store].sort(byNewest);
    });
  }, []);

  useEffect(() => {
    const stop = followSse({
      url: `${location.origin}/api/v1/stores/stream`,
      apiKey: session.apiKey,
      owner: actingOwner,
      reconnectOnEnd: () => true,
      fatal: (s) => s === 401 || s === 403,
      onOpen: () => setLive(true),
      onError: () => setLive(false),
      onReconnect: reload, // updates may have been missed while disconnected
      onMessage: (msg) => {
        if (msg.event === 'store') {
          upsert(JSON.parse(msg.data) as Store);
          refreshSoon();
        } else if (msg.event === 'step') {
          const ev = JSON.parse(msg.data) as StoreEvent;
          setLastStep((m) => ({ ...m, [ev.storeId]: `${ev.step}: ${ev.message || ev.phase}` }));
        }
      },
    });
    return () => {
      stop();
      setLive(false);
    };
  }, [session.apiKey, actingOwner, upsert, reload, refreshSoon]);

  const loadMore = () => {
    if (nextCursor === null) return;
    fetchPage(nextCursor).then(
      (page) => {
        setStores((cur) => [...cur, ...page.items.filter((s) => !cur.some((c) => c.id === s.id))]);
        setNextCursor(page.nextCursor);
      },
      (err: ApiError) => setError(err),
    );
  };

  return (
    <>
      <div className="page-head">
        <h1>Stores</h1>
        <span className={`live ${live ? 'live-on' : ''}`} role="status">
          <span aria-hidden="true">●</span> {live ? 'Live' : 'Connecting…'}
        </span>
        <div className="spacer" />
        <div className="field field-inline">
          <label htmlFor={filterId}>Status</label>
          <select
            id={filterId}
            value={status ?? ''}
            onChange={(e) => setParams(e.target.value ? { status: e.target.value } : {})}
          >
            <option value="">All</option>
            {STORE_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        {canWrite ? (
          <button ref={createButton} type="button" className="button button-primary" onClick={() => setCreating(true)}>
            + Create store
          </button>
        ) : null}
      </div>
      <OwnerUsage refreshKey={stores.filter((s) => s.status !== 'Deleted').length} />
      <ProblemAlert error={error} prefix="Could not load the stores" />
      {loading && stores.length === 0 ? (
        <p className="muted" role="status">
          Loading stores…
        </p>
      ) : stores.length === 0 && error === undefined ? (
        <div className="empty card">
          {status !== undefined ? (
            <>
              <h2>No {status} stores</h2>
              <p>
                Nothing has this status right now. <Link href="/">Show all stores</Link>.
              </p>
            </>
          ) : (
            <>
              <h2>No stores yet</h2>
              {canWrite ? (
                <>
                  <p>
                    Create your first store: give it a name, a plan and the admin's email. The platform creates its own namespace
                    <code>store-&lt;name&gt;</code> and provisions WooCommerce step by step; you can watch every step here.
                  </p>
                  <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
                    Create your first store
                  </button>
                </>
              ) : (
                <p>Stores appear here as soon as an admin creates one. Your key is a viewer key: you can watch stores but not change them.</p>
              )}
            </>
          )}
        </div>
      ) : stores.length > 0 ? (
        <div className="table-wrap">
          <table className="table stores-table">
            <caption className="visually-hidden">Stores, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Engine</th>
                <th scope="col">Plan</th>
                <th scope="col">Status</th>
                <th scope="col">URLs</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {stores.map((s) => (
                <tr key={s.id} data-store={s.name}>
                  <td data-label="Name">
                    <Link href={`/stores/${s.id}`} className="store-link">
                      {s.name}
                    </Link>
                    <div className="muted small">{s.title}</div>
                  </td>
                  <td data-label="Engine">
                    {s.engine}
                    <div className="muted small">{storeVersion(s)}</div>
                  </td>
                  <td data-label="Plan">{s.plan}</td>
                  <td data-label="Status">
                    <StatusBadge status={s.status} queuePosition={s.queuePosition} />
                    {s.status === 'Provisioning' && lastStep[s.id] ? <div className="muted small step-hint">{lastStep[s.id]}</div> : null}
                    {s.status === 'Failed' && s.statusReason ? <div className="small text-error">{s.statusReason}</div> : null}
                  </td>
                  <td data-label="URLs" className="urls">
                    {s.status === 'Deleted' ? (
                      <span className="muted">—</span>
                    ) : (
                      <>
                        <a href={s.storeUrl} target="_blank" rel="noreferrer">
                          Store<span className="visually-hidden"> {s.name} (opens in a new tab)</span>
                        </a>
                        <a href={s.adminUrl} target="_blank" rel="noreferrer">
                          Admin<span className="visually-hidden"> of {s.name} (opens in a new tab)</span>
                        </a>
                      </>
                    )}
                  </td>
                  <td data-label="Created">
                    <TimeText iso={s.createdAt} stacked />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {nextCursor !== null ? (
        <button type="button" className="button" onClick={loadMore}>
          Load more
        </button>
      ) : null}
      {canWrite ? (
        <CreateStoreDialog
          open={creating}
          onClose={() => {
            setCreating(false);
            createButton.current?.focus();
          }}
          onCreated={(store) => {
            setCreating(false);
            upsert(store);
            const qp = store.queuePosition;
            toast(`Store ${store.name} accepted (${store.status}${qp === 0 ? ', starting now' : qp ? `, #${qp} in the queue` : ''}); follow it here or on its page`);
            createButton.current?.focus();
          }}
        />
      ) : null}
    </>
  );
}
