import { useId, useState, type FormEvent } from 'react';
import { Link, useLocation } from 'wouter';
import { unwrap } from '../api/client';
import { ProblemAlert } from '../components/problem-alert';
import { RolloutStatusBadge } from '../components/status-badge';
import { Table } from '../components/table';
import { TimeText } from '../components/time-text';
import { useToast } from '../components/toasts';
import { useSession } from '../context';
import { useEngines } from '../lib/engines';
import { useAction, useAsync } from '../lib/hooks';
import { countsText, parseWaves, type Rollout, type RolloutRequest } from '../lib/rollouts';

/** "wave 2 of 3"; an ended rollout stays on its last wave. */
export const waveText = (r: Rollout) => `${Math.min(r.wave, r.waves.length)} of ${r.waves.length}`;

const optional = (v: FormDataEntryValue | null) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/** The rollout form: which engine's stores move to which release, the selector, the waves and the failure budget. */
function NewRolloutForm(props: { onCreated: (r: Rollout) => void }) {
  const { api } = useSession();
  const uid = useId();
  const engines = useEngines();
  const create = useAction();
  const [engineName, setEngineName] = useState('');
  const [version, setVersion] = useState('');
  const [wavesError, setWavesError] = useState<string>();
  const list = engines.data ?? [];
  // engines with a catalogue first: those are the ones a rollout can move
  const engine = list.find((e) => e.name === engineName) ?? list.find((e) => e.versions.length > 1) ?? list[0];
  const versions = engine?.versions.map((v) => v.version) ?? [];
  const target = versions.includes(version) ? version : (engine?.currentVersion ?? '');

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (engine === undefined) return;
    const f = new FormData(e.currentTarget);
    const waves = parseWaves(String(f.get('waves') ?? ''));
    if ('error' in waves) {
      setWavesError(waves.error);
      return;
    }
    setWavesError(undefined);
    const plan = optional(f.get('plan'));
    const ownerId = optional(f.get('ownerId'));
    const fromVersion = optional(f.get('fromVersion'));
    const body: RolloutRequest = {
      engine: engine.name,
      version: target,
      selector: { ...(plan ? { plan } : {}), ...(ownerId ? { ownerId } : {}), ...(fromVersion ? { fromVersion } : {}) },
      ...(waves.waves ? { waves: waves.waves } : {}),
      maxFailures: Number(f.get('maxFailures') ?? 0),
      pauseSeconds: Number(f.get('pauseSeconds') ?? 0),
    };
    void create.run(() => unwrap(api.POST('/api/v1/rollouts', { body }))).then((r) => {
      if (r) props.onCreated(r);
    });
  };

  return (
    <form className="card form" onSubmit={submit} aria-label="New rollout">
      <h2>New rollout</h2>
      <p className="muted">
        Upgrades the engine's live stores on another release, wave by wave: the first wave is the canary, the last takes the rest. Each store
        rolls back on its own if its upgrade fails; past the failure budget the rollout halts.
      </p>
      <ProblemAlert error={engines.error} prefix="Could not load the engines" />
      <ProblemAlert error={create.error} prefix="Could not start the rollout" />
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${uid}-engine`}>Engine</label>
          <select id={`${uid}-engine`} value={engine?.name ?? ''} onChange={(e) => setEngineName(e.target.value)} required>
            {list.map((e) => (
              <option key={e.name} value={e.name}>
                {e.title}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${uid}-version`}>Target version</label>
          <select id={`${uid}-version`} value={target} onChange={(e) => setVersion(e.target.value)} required>
            {versions.map((v) => (
              <option key={v} value={v}>
                {v}
                {v === engine?.currentVersion ? ' (current)' : ''}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${uid}-from`}>Only stores on</label>
          <select id={`${uid}-from`} name="fromVersion" key={`${engine?.name}-from`}>
            <option value="">any other release</option>
            {versions
              .filter((v) => v !== target)
              .map((v) => (
                <option key={v} value={v}>
                  {v}
                </option>
              ))}
          </select>
        </div>
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${uid}-plan`}>Plan</label>
          <select id={`${uid}-plan`} name="plan" key={`${engine?.name}-plan`}>
            <option value="">every plan</option>
            {(engine?.plans ?? []).map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${uid}-owner`}>Owner</label>
          <input id={`${uid}-owner`} name="ownerId" placeholder="every owner" maxLength={100} />
        </div>
        <div className={`field ${wavesError ? 'field-invalid' : ''}`}>
          <label htmlFor={`${uid}-waves`}>Waves</label>
          <input
            id={`${uid}-waves`}
            name="waves"
            placeholder="1, 50%, 100%"
            aria-invalid={wavesError !== undefined}
            aria-describedby={`${uid}-waves-hint${wavesError ? ` ${uid}-waves-error` : ''}`}
          />
          <small id={`${uid}-waves-hint`} className="hint">
            Stores per wave, or the share of the rollout reached by then
          </small>
          {wavesError ? (
            <small id={`${uid}-waves-error`} className="field-error">
              {wavesError}
            </small>
          ) : null}
        </div>
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${uid}-failures`}>Max failures</label>
          <input id={`${uid}-failures`} name="maxFailures" type="number" min={0} defaultValue={0} required />
        </div>
        <div className="field">
          <label htmlFor={`${uid}-pause`}>Pause between waves (s)</label>
          <input id={`${uid}-pause`} name="pauseSeconds" type="number" min={0} max={86_400} defaultValue={0} required />
        </div>
      </div>
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={engine === undefined || target === '' || create.busy}>
          Start rollout
        </button>
      </div>
    </form>
  );
}

/** Platform admins: fleet rollouts, newest first, and the form that starts one. */
export function RolloutsPage() {
  const { isAdmin } = useSession();
  return isAdmin ? <RolloutList /> : <AdminsOnly />;
}

function RolloutList() {
  const { api } = useSession();
  const [, navigate] = useLocation();
  const toast = useToast();
  const [creating, setCreating] = useState(false);
  const rollouts = useAsync((signal) => unwrap(api.GET('/api/v1/rollouts', { signal })), [api]);
  const items = rollouts.data?.items ?? [];
  return (
    <>
      <div className="page-head">
        <h1>Rollouts</h1>
        <div className="spacer" />
        <button type="button" className="button" onClick={rollouts.reload}>
          Refresh
        </button>
        <button type="button" className="button button-primary" aria-expanded={creating} onClick={() => setCreating((c) => !c)}>
          {creating ? 'Close the form' : 'New rollout'}
        </button>
      </div>
      <p className="muted">Fleet upgrades to one release, in waves. Open one to follow it live, pause, resume or abort it.</p>
      {creating ? (
        <NewRolloutForm
          onCreated={(r) => {
            toast(`Rollout to ${r.engine} ${r.version} started`);
            navigate(`/rollouts/${r.id}`);
          }}
        />
      ) : null}
      <ProblemAlert error={rollouts.error} prefix="Could not load the rollouts" />
      {rollouts.data !== undefined && items.length === 0 ? <div className="empty card">No rollouts yet: start one to upgrade many stores at once.</div> : null}
      {items.length > 0 ? (
        <Table label="Rollouts" columns={['Version', 'Engine', 'Status', 'Wave', 'Stores', 'Created']} busy={rollouts.loading}>
          {items.map((r) => (
            <tr key={r.id} data-rollout={r.id}>
              <td data-label="Version">
                <Link href={`/rollouts/${r.id}`}>{r.version}</Link>
              </td>
              <td data-label="Engine">{r.engine}</td>
              <td data-label="Status">
                <RolloutStatusBadge status={r.status} />
              </td>
              <td data-label="Wave">{waveText(r)}</td>
              <td data-label="Stores">{countsText(r.counts)}</td>
              <td data-label="Created">
                <TimeText iso={r.createdAt} stacked />
                <div className="small muted">by {r.createdBy}</div>
              </td>
            </tr>
          ))}
        </Table>
      ) : null}
    </>
  );
}

/** What an owner or viewer key sees at an admin-only address: nothing is asked of the API. */
export function AdminsOnly() {
  return (
    <>
      <h1>Rollouts</h1>
      <div className="alert alert-warn" role="status">
        Rollouts span every owner's stores: only platform admin keys see and start them.
      </div>
    </>
  );
}
