import { useEffect, useState } from 'react';
import { Link, useParams } from 'wouter';
import { ApiError, unwrap } from '../api/client';
import { followSse } from '../api/sse';
import { ConfirmModal } from '../components/modal';
import { ProblemAlert } from '../components/problem-alert';
import { RolloutStatusBadge, RolloutStoreBadge } from '../components/status-badge';
import { Table } from '../components/table';
import { TimeText } from '../components/time-text';
import { useToast } from '../components/toasts';
import { useSession } from '../context';
import { useAction } from '../lib/hooks';
import { countsText, rolloutEnded, ROLLOUT_ACTIONS, storesByWave, type Rollout, type RolloutAction } from '../lib/rollouts';
import { AdminsOnly, waveText } from './rollouts-page';

const ACTION_LABEL: Record<RolloutAction, string> = { pause: 'Pause', resume: 'Resume', abort: 'Abort…' };
const ACTION_DONE: Record<RolloutAction, string> = { pause: 'paused', resume: 'resumed', abort: 'aborted' };

/** One rollout, followed live over its stream: its waves with every store, and Pause / Resume / Abort. */
export function RolloutPage() {
  const { isAdmin } = useSession();
  return isAdmin ? <RolloutDetail /> : <AdminsOnly />;
}

function RolloutDetail() {
  const { id } = useParams<{ id: string }>();
  const { api, session, actingOwner } = useSession();
  const toast = useToast();
  const [rollout, setRollout] = useState<Rollout>();
  const [error, setError] = useState<ApiError>();
  const [streaming, setStreaming] = useState(false);
  const [confirmAbort, setConfirmAbort] = useState(false);
  const action = useAction();

  useEffect(() => {
    let ended = false;
    const stop = followSse({
      url: `${location.origin}/api/v1/rollouts/${encodeURIComponent(id)}/stream`,
      apiKey: session.apiKey,
      owner: actingOwner,
      reconnectOnEnd: () => !ended,
      fatal: (s) => s === 401 || s === 403 || s === 404,
      onOpen: () => setStreaming(true),
      onError: (err) => {
        setStreaming(false);
        if (err instanceof ApiError && (err.status === 403 || err.status === 404)) setError(err);
      },
      onMessage: (msg) => {
        if (msg.event === 'rollout') {
          const r = JSON.parse(msg.data) as Rollout;
          ended = rolloutEnded(r.status);
          setRollout(r);
        } else if (msg.event === 'end') {
          ended = true;
          setStreaming(false);
        }
      },
    });
    return () => {
      stop();
      setStreaming(false);
    };
  }, [id, session.apiKey, actingOwner]);

  const act = (a: RolloutAction) =>
    void action.run(() => unwrap(api.POST(`/api/v1/rollouts/{id}/${a}`, { params: { path: { id } } }))).then((r) => {
      if (r === undefined) return;
      toast(`Rollout ${ACTION_DONE[a]}`);
      setRollout(r);
    });

  const back = (
    <p className="breadcrumb">
      <Link href="/rollouts">← All rollouts</Link>
    </p>
  );
  if (rollout === undefined) {
    return (
      <>
        {back}
        {error ? (
          <ProblemAlert error={error} prefix="Could not load the rollout" />
        ) : (
          <p className="muted" role="status">
            Loading rollout…
          </p>
        )}
      </>
    );
  }

  const waves = storesByWave(rollout);
  const ended = rolloutEnded(rollout.status);
  const { plan, ownerId, fromVersion } = rollout.selector;
  return (
    <>
      {back}
      <div className="page-head">
        <div>
          <h1>
            {rollout.engine} {rollout.version} <span className="muted store-slug">{rollout.id}</span>
          </h1>
          <div className="store-facts">
            <RolloutStatusBadge status={rollout.status} />
            <span>Wave {waveText(rollout)}</span>
            <span>{countsText(rollout.counts)}</span>
            <span>
              Failures {rollout.failures} of {rollout.maxFailures} allowed
            </span>
            <span>
              Created <TimeText iso={rollout.createdAt} /> by {rollout.createdBy}
            </span>
          </div>
          <p className="muted">
            Stores: {plan ? `${plan} plan` : 'every plan'}, {ownerId ? `owner ${ownerId}` : 'every owner'}
            {fromVersion ? `, on ${fromVersion}` : ''}; {rollout.pauseSeconds > 0 ? `${rollout.pauseSeconds} s between waves` : 'no pause between waves'}.
          </p>
        </div>
        <div className="spacer" />
        <span className={`live ${streaming ? 'live-on' : ''}`} role="status">
          <span aria-hidden="true">●</span> {streaming ? 'Live' : ended ? `Finished: ${rollout.status}` : 'Reconnecting…'}
        </span>
      </div>
      {rollout.statusReason ? (
        <div role="status" className={`alert ${rollout.status === 'Halted' ? 'alert-error' : 'alert-warn'}`}>
          {rollout.statusReason}
        </div>
      ) : null}
      <ProblemAlert error={action.error} prefix="The rollout did not change" />
      {!ended ? (
        <div className="form-actions rollout-actions">
          {ROLLOUT_ACTIONS[rollout.status].map((a) => (
            <button
              key={a}
              type="button"
              className={`button ${a === 'abort' ? 'button-danger' : ''}`}
              disabled={action.busy}
              onClick={() => (a === 'abort' ? setConfirmAbort(true) : act(a))}
            >
              {ACTION_LABEL[a]}
            </button>
          ))}
        </div>
      ) : null}
      {waves.map((stores, i) => (
        <section key={i} aria-label={`Wave ${i + 1}`} className="rollout-wave">
          <div className="section-head">
            <h2>
              Wave {i + 1}
              {i === 0 && waves.length > 1 ? ' (canary)' : ''}
            </h2>
            <span className="muted">
              {rollout.waves[i] ?? 0} to upgrade{stores.length > (rollout.waves[i] ?? 0) ? `, ${stores.length - (rollout.waves[i] ?? 0)} skipped` : ''}
            </span>
          </div>
          <Table label={`Wave ${i + 1} stores`} columns={['Store', 'From', 'Status', 'Reason']} className="compact">
            {stores.map((s) => (
              <tr key={s.storeId} data-store-id={s.storeId}>
                <td data-label="Store">
                  <Link href={`/stores/${s.storeId}`}>
                    <code>{s.storeId}</code>
                  </Link>
                </td>
                <td data-label="From">{s.fromVersion}</td>
                <td data-label="Status">
                  <RolloutStoreBadge status={s.status} />
                </td>
                <td data-label="Reason">{s.reason ?? ''}</td>
              </tr>
            ))}
          </Table>
        </section>
      ))}
      <ConfirmModal
        open={confirmAbort}
        title={`Abort the rollout to ${rollout.version}?`}
        confirmLabel="Abort rollout"
        onClose={() => setConfirmAbort(false)}
        onConfirm={() => {
          setConfirmAbort(false);
          act('abort');
        }}
      >
        <p>
          Stores not started yet are skipped and stay on their release; upgrades under way finish. An aborted rollout cannot be resumed.
        </p>
      </ConfirmModal>
    </>
  );
}
