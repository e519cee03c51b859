import { useCallback, useEffect, useState } from 'react';
import { Link, useLocation, useParams } from 'wouter';
import { ApiError, unwrap, type Store, type StoreEvent } from '../api/client';
import { followSse } from '../api/sse';
import { ConditionsList } from '../components/conditions-list';
import { ProblemAlert } from '../components/problem-alert';
import { StatusBadge } from '../components/status-badge';
import { Tabs, type TabDef } from '../components/tabs';
import { TimeText } from '../components/time-text';
import { TimelineView } from '../components/timeline-view';
import { useSession } from '../context';
import { storeVersion } from '../lib/format';
import { useNow } from '../lib/hooks';
import { mergeEvents } from '../lib/timeline';
import { ActionsTab } from './actions-tab';
import { BackupsTab } from './backups-tab';
import { HealthTab } from './health-tab';
import { LogsTab } from './logs-tab';

const TERMINAL = new Set(['Ready', 'Suspended', 'Failed', 'Deleted']);

export function StorePage() {
  const { id, tab } = useParams<{ id: string; tab?: string }>();
  const [, navigate] = useLocation();
  const { api, canWrite, session, actingOwner } = useSession();
  const [store, setStore] = useState<Store>();
  const [events, setEvents] = useState<StoreEvent[]>([]);
  const [error, setError] = useState<ApiError>();
  const [streaming, setStreaming] = useState(false);
  // bumped after an action, so a finished stream opens again for what the action starts
  const [streamGen, setStreamGen] = useState(0);
  const now = useNow(1000);

  const tabs: TabDef[] = [
    { id: 'timeline', label: 'Timeline' },
    { id: 'health', label: 'Health' },
    { id: 'logs', label: 'Logs' },
    { id: 'backups', label: 'Backups' },
    ...(canWrite ? [{ id: 'actions', label: 'Actions' }] : []),
  ];
  const selected = tabs.some((t) => t.id === tab) ? tab! : 'timeline';

  useEffect(() => {
    const ctl = new AbortController();
    unwrap(api.GET('/api/v1/stores/{id}', { params: { path: { id } }, signal: ctl.signal })).then(setStore, (err: unknown) => {
      if (!ctl.signal.aborted) setError(err as ApiError);
    });
    return () => ctl.abort();
  }, [api, id]);

  useEffect(() => {
    let terminal = false;
    const stop = followSse({
      url: `${location.origin}/api/v1/stores/${encodeURIComponent(id)}/events/stream`,
      apiKey: session.apiKey,
      owner: actingOwner,
      reconnectOnEnd: () => !terminal,
      fatal: (s) => s === 401 || s === 403 || s === 404,
      onOpen: () => setStreaming(true),
      onError: (err) => {
        setStreaming(false);
        if (err instanceof ApiError && err.status === 404) setError(err);
      },
      onMessage: (msg) => {
        if (msg.event === 'store') {
          const s = JSON.parse(msg.data) as Store;
          terminal = TERMINAL.has(s.status);
          setStore(s);
        } else if (msg.event === 'step') {
          const ev = JSON.parse(msg.data) as StoreEvent;
          setEvents((cur) => mergeEvents(cur, [ev]));
        } else if (msg.event === 'end') {
          terminal = true;
          setStreaming(false);
        }
      },
    });
    return () => {
      stop();
      setStreaming(false);
    };
  }, [id, session.apiKey, actingOwner, streamGen]);

  const onChanged = useCallback((s?: Store) => {
    if (s) setStore(s);
    setStreamGen((g) => g + 1);
  }, []);

  if (error && store === undefined) {
    return (
      <>
        <p>
          <Link href="/">← All stores</Link>
        </p>
        <ProblemAlert error={error} prefix="Could not load the store" />
      </>
    );
  }
  if (store === undefined) {
    return (
      <p className="muted" role="status">
        Loading store…
      </p>
    );
  }

  return (
    <>
      <p className="breadcrumb">
        <Link href="/">← All stores</Link>
      </p>
      <div className="page-head store-head">
        <div>
          <h1>
            {store.title} <span className="muted store-slug">{store.name}</span>
          </h1>
          <div className="store-facts">
            <StatusBadge status={store.status} queuePosition={store.queuePosition} />
            <span>
              {store.engine} {storeVersion(store)} · {store.plan} plan · {store.currency}
            </span>
            <span>
              Namespace <code>{store.namespace}</code>
            </span>
            <span>
              Created <TimeText iso={store.createdAt} />
            </span>
            {store.readyAt ? (
              <span>
                Ready <TimeText iso={store.readyAt} />
              </span>
            ) : null}
          </div>
          {store.status !== 'Deleted' ? (
            <div className="store-links">
              <a href={store.storeUrl} target="_blank" rel="noreferrer">
                {store.storeUrl}
              </a>
              <a href={store.adminUrl} target="_blank" rel="noreferrer">
                Admin: {store.adminUrl}
              </a>
            </div>
          ) : null}
          {store.status === 'Suspended' ? (
            <div role="status" className="alert alert-warn">
              Suspended: its workloads are stopped (data kept) and shoppers see a maintenance page. Resume it from Actions.
            </div>
          ) : null}
          {store.status !== 'Failed' && store.statusReason ? (
            // e.g. an upgrade refused or rolled back: the store is Ready again, on its old release
            <div role="status" className="alert alert-warn">
              {store.statusReason}
            </div>
          ) : null}
          {store.status === 'Failed' && store.statusReason ? (
            <div role="alert" className="alert alert-error">
              Failed{store.failedStep ? ` at step ${store.failedStep}` : ''}: {store.statusReason}
            </div>
          ) : null}
        </div>
      </div>
      <Tabs label="Store details" idPrefix="store" tabs={tabs} selected={selected} onSelect={(t) => navigate(`/stores/${id}/${t}`, { replace: true })}>
        {selected === 'timeline' ? (
          <section aria-label="Timeline">
            <div className="section-head">
              <h2>Timeline</h2>
              <span className={`live ${streaming ? 'live-on' : ''}`} role="status">
                <span aria-hidden="true">●</span> {streaming ? 'Live' : TERMINAL.has(store.status) ? `Finished: ${store.status}` : 'Reconnecting…'}
              </span>
            </div>
            <TimelineView events={events} now={now} live={streaming} />
            <ConditionsList conditions={store.conditions} />
          </section>
        ) : selected === 'health' ? (
          <HealthTab store={store} />
        ) : selected === 'logs' ? (
          <LogsTab store={store} />
        ) : selected === 'backups' ? (
          <BackupsTab store={store} onChanged={onChanged} />
        ) : (
          <ActionsTab store={store} onChanged={onChanged} onDeleted={() => navigate(`/stores/${id}/timeline`, { replace: true })} />
        )}
      </Tabs>
    </>
  );
}
