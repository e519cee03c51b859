import { useId, useRef, useState } from 'react';
import { ApiError, unwrap, type PasswordReset, type Store } from '../api/client';
import { CopyButton } from '../components/copy-button';
import { ConfirmModal, Modal } from '../components/modal';
import { ProblemAlert } from '../components/problem-alert';
import { useToast } from '../components/toasts';
import { useSession } from '../context';
import { upgradeTargets, useEngines } from '../lib/engines';
import { useAction } from '../lib/hooks';

/** Moves a Ready store to another release of its engine, along the upgrade paths GET /api/v1/engines lists. */
function UpgradeCard(props: { store: Store; onChanged: (s?: Store) => void }) {
  const { store } = props;
  const { api } = useSession();
  const toast = useToast();
  const uid = useId();
  const engines = useEngines();
  const upgrade = useAction();
  const [chosen, setChosen] = useState('');
  const [confirm, setConfirm] = useState(false);
  const engine = engines.data?.find((e) => e.name === store.engine);
  const targets = upgradeTargets(engine, store.version);
  // the release new stores get is the one to suggest when it is reachable
  const suggested = targets.find((v) => v === engine?.currentVersion) ?? targets[0] ?? '';
  const target = targets.includes(chosen) ? chosen : suggested;
  // while Upgrading the store names the release it moves to; back on the one it left, it is rolling back
  const leaving = store.status === 'Upgrading' ? store.upgradeFrom : null;

  return (
    <>
      <div className="card action">
        <div>
          <h3>Upgrade</h3>
          {leaving !== null ? (
            <p role="status">{leaving === store.version ? `Rolling back to ${store.version}…` : `Upgrading from ${leaving} to ${store.version}…`}</p>
          ) : (
            <>
              <p className="muted">
                Runs {engine?.title ?? store.engine} <strong>{store.version}</strong>. An upgrade moves the store to another release; if it fails,
                the store rolls back to {store.version}.{store.status !== 'Ready' ? ' Only Ready stores can be upgraded.' : ''}
              </p>
              {engines.data === undefined ? (
                engines.loading ? <p className="muted">Loading releases…</p> : null
              ) : targets.length === 0 ? (
                <p className="muted">No upgrade available for {store.version}.</p>
              ) : (
                <div className="field field-inline">
                  <label htmlFor={`${uid}-version`}>Upgrade to</label>
                  <select id={`${uid}-version`} value={target} onChange={(e) => setChosen(e.target.value)}>
                    {targets.map((v) => (
                      <option key={v} value={v}>
                        {v}
                      </option>
                    ))}
                  </select>
                </div>
              )}
            </>
          )}
          <ProblemAlert error={engines.error} prefix="Could not load the releases" />
          <ProblemAlert error={upgrade.error} prefix="Upgrade failed" />
        </div>
        <button type="button" className="button" disabled={store.status !== 'Ready' || target === '' || upgrade.busy} onClick={() => setConfirm(true)}>
          {store.status === 'Upgrading' ? 'Upgrading…' : 'Upgrade…'}
        </button>
      </div>

      <ConfirmModal
        open={confirm}
        title={`Upgrade ${store.name} to ${target}?`}
        confirmLabel="Upgrade store"
        onClose={() => setConfirm(false)}
        onConfirm={() => {
          setConfirm(false);
          const version = target;
          void upgrade.run(() => unwrap(api.POST('/api/v1/stores/{id}/actions/upgrade', { params: { path: { id: store.id } }, body: { version } }))).then((s) => {
            if (s) {
              toast(`Upgrading ${store.name} to ${version}`);
              props.onChanged(s);
            }
          });
        }}
      >
        <p>
          <strong>{store.name}</strong> moves from {store.version} to {target}. Where the platform keeps backups, a pre-upgrade backup is taken
          first; then the store's setup runs again on {target} and its store check must pass. If any step fails, the store rolls back to{' '}
          {store.version}, its data restored from the pre-upgrade backup.
        </p>
      </ConfirmModal>
    </>
  );
}

/** Mutating operations; only rendered for admin keys. */
export function ActionsTab(props: { store: Store; onChanged: (s?: Store) => void; onDeleted: () => void }) {
  const { store } = props;
  const { api } = useSession();
  const toast = useToast();
  const uid = useId();
  const gone = store.status === 'Deleting' || store.status === 'Deleted';
  // a suspended store has no pods to restart and no WordPress to take a new password
  const paused = store.status === 'Suspending' || store.status === 'Suspended' || store.status === 'Resuming';

  const retry = useAction();
  const lifecycle = useAction();
  const [confirmLifecycle, setConfirmLifecycle] = useState<'suspend' | 'resume'>();
  const restart = useAction();
  const reset = useAction();
  const del = useAction();
  const undelete = useAction();
  // soft-deleted: parked until its purge time, and it may be undeleted until then
  const purgeAt = store.status === 'Deleting' && store.purgeAt ? new Date(store.purgeAt) : undefined;
  const [component, setComponent] = useState('');
  const [password, setPassword] = useState<PasswordReset>();
  const [confirmReset, setConfirmReset] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [typed, setTyped] = useState('');
  const deleteButton = useRef<HTMLButtonElement>(null);
  const path = { params: { path: { id: store.id } } };

  return (
    <section aria-label="Actions" className="actions">
      <h2 className="visually-hidden">Actions</h2>
      {purgeAt && (
        <div className="card action">
          <div>
            <h3>Undelete</h3>
            <p className="muted">
              The store is deleted and parked behind its maintenance page, its data kept. It is purged on{' '}
              <time dateTime={purgeAt.toISOString()}>{purgeAt.toLocaleString()}</time>; until then, undelete brings it back as it was.
            </p>
            <ProblemAlert error={undelete.error} prefix="Undelete failed" />
          </div>
          <button
            type="button"
            className="button"
            disabled={undelete.busy}
            onClick={() =>
              void undelete.run(() => unwrap(api.POST('/api/v1/stores/{id}/actions/undelete', path))).then((s) => {
                if (s) {
                  toast(`Undeleting ${store.name}`);
                  props.onChanged(s);
                }
              })
            }
          >
            {undelete.busy ? 'Undeleting…' : 'Undelete'}
          </button>
        </div>
      )}
      <div className="card action">
        <div>
          <h3>Retry provisioning</h3>
          <p className="muted">Resumes a Failed store at the step that failed.{store.status !== 'Failed' ? ' Only Failed stores can be retried.' : ''}</p>
          <ProblemAlert error={retry.error} prefix="Retry failed" />
        </div>
        <button
          type="button"
          className="button"
          disabled={store.status !== 'Failed' || retry.busy}
          onClick={() =>
            void retry.run(() => unwrap(api.POST('/api/v1/stores/{id}/retry', path))).then((s) => {
              if (s) {
                toast(`Retrying ${store.name}`);
                props.onChanged(s);
              }
            })
          }
        >
          Retry
        </button>
      </div>

      <div className="card action">
        <div>
          <h3>{store.status === 'Suspended' || store.status === 'Resuming' ? 'Resume' : 'Suspend'}</h3>
          <p className="muted">
            {store.status === 'Suspended'
              ? 'Scales the workloads back up, takes the maintenance page down and runs the store check before the store is Ready again.'
              : store.status === 'Resuming'
                ? 'The store is coming back; it is Ready once its store check passes.'
                : 'Stops the store\'s workloads (database, uploads and orders are kept) and serves a maintenance page on its host.'}
            {store.status !== 'Ready' && store.status !== 'Suspended' && store.status !== 'Resuming' ? ' Only Ready stores can be suspended.' : ''}
          </p>
          <ProblemAlert error={lifecycle.error} prefix={store.status === 'Suspended' ? 'Resume failed' : 'Suspend failed'} />
        </div>
        {store.status === 'Suspended' || store.status === 'Resuming' ? (
          <button type="button" className="button" disabled={store.status !== 'Suspended' || lifecycle.busy} onClick={() => setConfirmLifecycle('resume')}>
            {store.status === 'Resuming' ? 'Resuming…' : 'Resume…'}
          </button>
        ) : (
          <button type="button" className="button" disabled={store.status !== 'Ready' || lifecycle.busy} onClick={() => setConfirmLifecycle('suspend')}>
            {store.status === 'Suspending' ? 'Suspending…' : 'Suspend…'}
          </button>
        )}
      </div>

      <UpgradeCard store={store} onChanged={props.onChanged} />

      <div className="card action">
        <div>
          <h3>Restart</h3>
          <p className="muted">Rolling restart of the store's workloads.</p>
          <div className="field field-inline">
            <label htmlFor={`${uid}-restart`}>Restart</label>
            <select id={`${uid}-restart`} value={component} onChange={(e) => setComponent(e.target.value)}>
              <option value="">All workloads</option>
              {props.store.components.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </div>
          <ProblemAlert error={restart.error} prefix="Restart failed" />
        </div>
        <button
          type="button"
          className="button"
          disabled={gone || paused || restart.busy}
          onClick={() =>
            void restart
              .run(() => unwrap(api.POST('/api/v1/stores/{id}/actions/restart', { ...path, body: component ? { component } : {} })))
              .then((r) => {
                if (r) {
                  toast(`Restarted ${r.restarted.join(', ') || 'nothing'}`);
                  props.onChanged();
                }
              })
          }
        >
          {restart.busy ? 'Restarting…' : 'Restart'}
        </button>
      </div>

      <div className="card action">
        <div>
          <h3>Reset admin password</h3>
          <p className="muted">Sets a new password for the store's administrator. It is shown once; the platform keeps no copy.</p>
          <ProblemAlert error={reset.error} prefix="Reset failed" />
        </div>
        <button type="button" className="button" disabled={gone || paused || reset.busy} onClick={() => setConfirmReset(true)}>
          {reset.busy ? 'Resetting…' : 'Reset password'}
        </button>
      </div>

      {!purgeAt && (
        <div className="card action danger-zone">
          <div>
            <h3>Delete store</h3>
            <p className="muted">
              Deletes the namespace <code>{store.namespace}</code> with everything in it: database, uploads, orders. Where the platform keeps
              an undelete window, a Ready or Suspended store is parked first and can be undeleted until it is purged.
            </p>
            <ProblemAlert error={del.error} prefix="Delete failed" />
          </div>
          <button ref={deleteButton} type="button" className="button button-danger" disabled={gone} onClick={() => setConfirmDelete(true)}>
            Delete…
          </button>
        </div>
      )}

      <ConfirmModal
        open={confirmLifecycle !== undefined}
        title={confirmLifecycle === 'resume' ? `Resume ${store.name}?` : `Suspend ${store.name}?`}
        confirmLabel={confirmLifecycle === 'resume' ? 'Resume store' : 'Suspend store'}
        onClose={() => setConfirmLifecycle(undefined)}
        onConfirm={() => {
          const what = confirmLifecycle;
          setConfirmLifecycle(undefined);
          if (what === undefined) return;
          const url = what === 'resume' ? '/api/v1/stores/{id}/actions/resume' : '/api/v1/stores/{id}/actions/suspend';
          void lifecycle.run(() => unwrap(api.POST(url, path))).then((s) => {
            if (s) {
              toast(`${what === 'resume' ? 'Resuming' : 'Suspending'} ${store.name}`);
              props.onChanged(s);
            }
          });
        }}
      >
        <p>
          {confirmLifecycle === 'resume' ? (
            <>
              <strong>{store.name}</strong> starts again and serves shoppers once its store check passes.
            </>
          ) : (
            <>
              Shoppers of <strong>{store.name}</strong> see a maintenance page until it is resumed. Its data is kept.
            </>
          )}
        </p>
      </ConfirmModal>

      <ConfirmModal
        open={confirmReset}
        title="Reset the admin password?"
        confirmLabel="Reset password"
        onClose={() => setConfirmReset(false)}
        onConfirm={() => {
          setConfirmReset(false);
          void reset.run(() => unwrap(api.POST('/api/v1/stores/{id}/actions/reset-admin-password', path))).then((r) => {
            if (r) {
              setPassword(r);
              props.onChanged();
            }
          });
        }}
      >
        <p>
          The current password of <strong>{store.name}</strong>'s administrator stops working at once.
        </p>
      </ConfirmModal>

      <Modal open={password !== undefined} title="New admin password" onClose={() => setPassword(undefined)}>
        {password ? (
          <div className="secret">
            <p className="alert alert-warn">This is the only time the password is shown. Copy it now.</p>
            <dl className="kv">
              <dt>User</dt>
              <dd>
                <code>{password.username}</code>
              </dd>
              <dt>
                <label htmlFor={`${uid}-pw`}>Password</label>
              </dt>
              <dd className="secret-row">
                <input id={`${uid}-pw`} readOnly value={password.password} className="mono" onFocus={(e) => e.currentTarget.select()} />
                <CopyButton text={password.password} label="Copy the password" />
              </dd>
            </dl>
            <div className="form-actions">
              <button type="button" className="button button-primary" onClick={() => setPassword(undefined)}>
                Done
              </button>
            </div>
          </div>
        ) : null}
      </Modal>

      <Modal
        open={confirmDelete}
        title={`Delete ${store.name}?`}
        onClose={() => {
          setConfirmDelete(false);
          setTyped('');
          deleteButton.current?.focus();
        }}
      >
        <form
          className="form"
          onSubmit={(e) => {
            e.preventDefault();
            if (typed !== store.name) return;
            void del.run(() => unwrap(api.DELETE('/api/v1/stores/{id}', path))).then((s) => {
              setConfirmDelete(false);
              setTyped('');
              if (s) {
                toast(`Deleting ${store.name}`);
                props.onChanged(s);
                props.onDeleted();
              }
            });
          }}
        >
          <p>
            This deletes the namespace <code>{store.namespace}</code> and all of the store's data.
          </p>
          <div className="field">
            <label htmlFor={`${uid}-confirm`}>
              Type <strong>{store.name}</strong> to confirm
            </label>
            <input id={`${uid}-confirm`} value={typed} autoComplete="off" spellCheck={false} onChange={(e) => setTyped(e.target.value)} autoFocus />
          </div>
          <div className="form-actions">
            <button
              type="button"
              className="button"
              onClick={() => {
                setConfirmDelete(false);
                setTyped('');
              }}
            >
              Cancel
            </button>
            <button type="submit" className="button button-danger" disabled={typed !== store.name || del.busy}>
              {del.busy ? 'Deleting…' : 'Delete store'}
            </button>
          </div>
        </form>
      </Modal>
    </section>
  );
}
