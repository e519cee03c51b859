import { useState } from 'react';
import { Link } from 'wouter';
import { ApiError, unwrap, type Backup, type Store } from '../api/client';
import { Modal } from '../components/modal';
import { ProblemAlert } from '../components/problem-alert';
import { TimeText } from '../components/time-text';
import { useToast } from '../components/toasts';
import { useSession } from '../context';
import { formatBytes, formatDuration } from '../lib/format';
import { useAsync, useInterval } from '../lib/hooks';

const REFRESH_MS = 3000;

/**
 * The store's backups: every key sees the list; keys that may act get "Back up now" and, per
 * succeeded backup, "Restore" behind a confirmation (the store is in maintenance meanwhile) and
 * "Clone", which makes a new store from it (also from a deleted store's final backup).
 */
export function BackupsTab(props: { store: Store; onChanged: (s?: Store) => void }) {
  const { store } = props;
  const { api, canWrite } = useSession();
  const toast = useToast();
  const path = { params: { path: { id: store.id } } };
  const list = useAsync((signal) => unwrap(api.GET('/api/v1/stores/{id}/backups', { ...path, signal })), [api, store.id]);
  const running = (list.data?.items ?? []).some((b) => b.status === 'Pending' || b.status === 'Running') || store.status === 'Restoring';
  useInterval(list.reload, REFRESH_MS, running);
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const [confirm, setConfirm] = useState<Backup>();
  const [cloning, setCloning] = useState<Backup>();
  const [cloneName, setCloneName] = useState('');
  const [made, setMade] = useState<Store>();

  const act = async (f: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setError(undefined);
    try {
      await f();
      toast(done);
      list.reload();
      props.onChanged();
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-label="Backups" aria-busy={list.loading}>
      <div className="section-head">
        <h2>Backups</h2>
        {canWrite ? (
          <button
            type="button"
            className="button button-primary"
            disabled={busy || store.status !== 'Ready'}
            onClick={() => void act(() => unwrap(api.POST('/api/v1/stores/{id}/backups', path)), `Backup of ${store.name} started`)}
          >
            Back up now
          </button>
        ) : null}
        <button type="button" className="button" onClick={list.reload}>
          Refresh
        </button>
      </div>
      <ProblemAlert error={error} prefix="Refused" />
      <ProblemAlert error={list.error} prefix="Could not list the backups" />
      {list.data === undefined ? (
        list.loading ? <p className="muted">Loading…</p> : null
      ) : list.data.items.length === 0 ? (
        <p className="muted">No backups yet.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">Kind</th>
              <th scope="col">Status</th>
              <th scope="col">Size</th>
              <th scope="col">Duration</th>
              <th scope="col">Kept until at least</th>
              {canWrite ? <th scope="col"><span className="visually-hidden">Actions</span></th> : null}
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((b) => (
              <tr key={b.id} data-backup={b.id}>
                <td>{b.startedAt ? <TimeText iso={b.startedAt} /> : <span className="muted">queued</span>}</td>
                <td>{b.kind}</td>
                <td>
                  {b.status}
                  {b.status === 'Failed' && b.errorReason ? <div className="small muted">at {b.errorStep}: {b.errorReason}</div> : null}
                </td>
                <td>{b.sizeBytes !== null ? formatBytes(b.sizeBytes) : '—'}</td>
                <td>{b.durationMs !== null ? formatDuration(b.durationMs) : '—'}</td>
                <td>{b.expiresAt ? <TimeText iso={b.expiresAt} /> : '—'}</td>
                {canWrite ? (
                  <td>
                    <button type="button" className="button" disabled={busy || b.status !== 'Succeeded' || store.status !== 'Ready'} onClick={() => setConfirm(b)}>
                      Restore
                    </button>{' '}
                    <button
                      type="button"
                      className="button"
                      disabled={busy || b.status !== 'Succeeded'}
                      onClick={() => {
                        setCloneName(`${store.name}-copy`.slice(0, 40));
                        setCloning(b);
                      }}
                    >
                      Clone
                    </button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {made ? (
        <p role="status">
          Store <Link href={`/stores/${made.id}`}>{made.name}</Link> is being made from the backup ({made.status}); it is Ready once the backup is restored into it and its check passed.
        </p>
      ) : null}
      <Modal open={cloning !== undefined} title="Clone into a new store" onClose={() => setCloning(undefined)}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const b = cloning!;
            setCloning(undefined);
            void act(async () => {
              setMade(await unwrap(api.POST('/api/v1/backups/{backupId}/restore', { params: { path: { backupId: b.id } }, body: { name: cloneName } })));
            }, `Making ${cloneName} from the backup`);
          }}
        >
          <p>
            A new store gets this backup&apos;s data with its own name, address, secrets and admin password; {store.name} is not touched.
          </p>
          <label className="field">
            <span>Name of the new store</span>
            <input name="clone-name" value={cloneName} autoComplete="off" spellCheck={false} onChange={(e) => setCloneName(e.target.value.toLowerCase())} />
          </label>
          <div className="form-actions">
            <button type="button" className="button" onClick={() => setCloning(undefined)}>
              Cancel
            </button>
            <button type="submit" className="button button-primary" disabled={busy || cloneName.length < 3}>
              Make the store
            </button>
          </div>
        </form>
      </Modal>
      <Modal open={confirm !== undefined} title={`Restore ${store.name}?`} onClose={() => setConfirm(undefined)}>
        <p>
          The store goes into maintenance: its app stops, the backup of {confirm?.startedAt ? <TimeText iso={confirm.startedAt} /> : 'this time'} replaces
          its database{store.engine === 'woocommerce' ? ' and files' : ''}, then it starts again. Orders placed since then are lost.
        </p>
        <div className="form-actions">
          <button type="button" className="button" onClick={() => setConfirm(undefined)}>
            Cancel
          </button>
          <button
            type="button"
            className="button button-danger"
            disabled={busy}
            onClick={() => {
              const b = confirm!;
              setConfirm(undefined);
              void act(() => unwrap(api.POST('/api/v1/stores/{id}/restore', { ...path, body: { backupId: b.id } })), `Restoring ${store.name}`);
            }}
          >
            Restore this backup
          </button>
        </div>
      </Modal>
    </section>
  );
}
