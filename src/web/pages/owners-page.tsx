import { useId, useState, type FormEvent } from 'react';
import { ApiError, OWNER_HEADER, unwrap, type CreatedApiKey, type Owner } from '../api/client';
import { CopyButton } from '../components/copy-button';
import { ProblemAlert } from '../components/problem-alert';
import { Table } from '../components/table';
import { TimeText } from '../components/time-text';
import { useToast } from '../components/toasts';
import { useSession } from '../context';
import { useAsync } from '../lib/hooks';

const limitText = (used: number, limit: number | null, unit = '') => `${used}${unit} / ${limit === null ? '∞' : `${limit}${unit}`}`;
const optionalInt = (v: FormDataEntryValue | null) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : null);

function CreateOwnerForm(props: { onCreated: () => void }) {
  const { api } = useSession();
  const uid = useId();
  const [error, setError] = useState<ApiError>();
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const body = {
      id: String(f.get('id') ?? ''),
      name: String(f.get('name') ?? ''),
      allowedPlans: null,
      allowedEngines: null,
      maxStores: optionalInt(f.get('maxStores')),
      maxCpuMillis: optionalInt(f.get('maxCpuMillis')),
      maxMemoryMiB: optionalInt(f.get('maxMemoryMiB')),
    };
    unwrap(api.POST('/api/v1/owners', { body })).then(
      () => {
        setError(undefined);
        form.reset();
        props.onCreated();
      },
      (err: ApiError) => setError(err),
    );
  };
  return (
    <form className="card form" onSubmit={submit} aria-label="New owner">
      <h2>New owner</h2>
      <ProblemAlert error={error} prefix="Could not create the owner" />
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${uid}-id`}>Id</label>
          <input id={`${uid}-id`} name="id" required pattern="[a-z0-9][-a-z0-9]*[a-z0-9]" placeholder="acme" />
        </div>
        <div className="field">
          <label htmlFor={`${uid}-name`}>Name</label>
          <input id={`${uid}-name`} name="name" required placeholder="Acme Ltd" />
        </div>
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${uid}-stores`}>Max live stores</label>
          <input id={`${uid}-stores`} name="maxStores" type="number" min={0} placeholder="no limit" />
        </div>
        <div className="field">
          <label htmlFor={`${uid}-cpu`}>Max CPU (m)</label>
          <input id={`${uid}-cpu`} name="maxCpuMillis" type="number" min={0} placeholder="no limit" />
        </div>
        <div className="field">
          <label htmlFor={`${uid}-mem`}>Max memory (Mi)</label>
          <input id={`${uid}-mem`} name="maxMemoryMiB" type="number" min={0} placeholder="no limit" />
        </div>
      </div>
      <div className="form-actions">
        <button type="submit" className="button button-primary">
          Create owner
        </button>
      </div>
    </form>
  );
}

function Keys(props: { owners: readonly Owner[] }) {
  const { api, actingOwner } = useSession();
  const toast = useToast();
  const uid = useId();
  const keys = useAsync((signal) => unwrap(api.GET('/api/v1/keys', { signal })), [api]);
  const [created, setCreated] = useState<CreatedApiKey>();
  const [error, setError] = useState<ApiError>();
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const role = String(f.get('role')) as 'owner' | 'viewer';
    const owner = actingOwner ?? String(f.get('owner') ?? '');
    unwrap(api.POST('/api/v1/keys', { body: { name: String(f.get('name') ?? ''), role }, headers: { [OWNER_HEADER]: owner } })).then(
      (k) => {
        setError(undefined);
        setCreated(k);
        keys.reload();
      },
      (err: ApiError) => setError(err),
    );
  };
  const revoke = (id: string) =>
    unwrap(api.DELETE('/api/v1/keys/{keyId}', { params: { path: { keyId: id } } })).then(
      () => {
        toast(`Key ${id} revoked`);
        keys.reload();
      },
      (err: ApiError) => setError(err),
    );
  return (
    <section aria-label="API keys">
      <h2>API keys</h2>
      <form className="card form" onSubmit={submit} aria-label="New API key">
        <ProblemAlert error={error} prefix="Could not change the keys" />
        <div className="field-row">
          <div className="field">
            <label htmlFor={`${uid}-kname`}>Key name</label>
            <input id={`${uid}-kname`} name="name" required placeholder="shop owner" />
          </div>
          {actingOwner === undefined ? (
            <div className="field">
              <label htmlFor={`${uid}-owner`}>Owner</label>
              <select id={`${uid}-owner`} name="owner" required>
                {props.owners.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name} ({o.id})
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <div className="field">
            <label htmlFor={`${uid}-role`}>Role</label>
            <select id={`${uid}-role`} name="role">
              <option value="owner">owner</option>
              <option value="viewer">viewer</option>
            </select>
          </div>
        </div>
        <div className="form-actions">
          <button type="submit" className="button button-primary">
            Create key
          </button>
        </div>
        {created !== undefined ? (
          <div className="alert alert-warn" role="status">
            <p>
              Key <code>{created.id}</code> for <code>{created.ownerId}</code> ({created.role}). It is shown only now:
            </p>
            <div className="secret-row">
              <input aria-label="The new API key" readOnly value={created.key} className="mono" onFocus={(e) => e.currentTarget.select()} />
              <CopyButton text={created.key} label="Copy the key" />
            </div>
          </div>
        ) : null}
      </form>
      <ProblemAlert error={keys.error} prefix="Could not load the keys" />
      <Table label="Keys" columns={['Key', 'Name', 'Role', 'Owner', 'Last used', 'State']}>
            {(keys.data?.items ?? []).map((k) => (
              <tr key={k.id}>
                <td data-label="Key">
                  <code>{k.id}</code>
                </td>
                <td data-label="Name">{k.name}</td>
                <td data-label="Role">{k.role}</td>
                <td data-label="Owner">{k.ownerId ?? 'platform'}</td>
                <td data-label="Last used">{k.lastUsedAt ? <TimeText iso={k.lastUsedAt} /> : 'never'}</td>
                <td data-label="State">
                  {k.revokedAt !== null ? (
                    'revoked'
                  ) : (
                    <button type="button" className="button button-quiet" onClick={() => void revoke(k.id)} aria-label={`Revoke key ${k.id}`}>
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
      </Table>
    </section>
  );
}

/** Platform admins: owners with their usage and limits, and API keys (the selected owner's, or all). */
export function OwnersPage() {
  const { api, actingOwner, setActingOwner } = useSession();
  const toast = useToast();
  const owners = useAsync((signal) => unwrap(api.GET('/api/v1/owners', { signal })), [api]);
  const [error, setError] = useState<ApiError>();
  const remove = (o: Owner) =>
    unwrap(api.DELETE('/api/v1/owners/{ownerId}', { params: { path: { ownerId: o.id } } })).then(
      () => {
        toast(`Owner ${o.id} deleted`);
        owners.reload();
      },
      (err: ApiError) => setError(err),
    );
  const list = owners.data?.items ?? [];
  return (
    <>
      <div className="page-head">
        <h1>Owners and keys</h1>
      </div>
      <p className="muted">Each owner sees only its own stores; limits apply to its next create.</p>
      <ProblemAlert error={owners.error ?? error} prefix="Owners" />
      <Table label="Owners" columns={['Owner', 'Stores', 'CPU', 'Memory', 'Plans', '']}>
            {list.map((o) => (
              <tr key={o.id}>
                <td data-label="Owner">
                  {o.name} <code>{o.id}</code>
                </td>
                <td data-label="Stores">{limitText(o.usage.stores, o.maxStores)}</td>
                <td data-label="CPU">{limitText(o.usage.cpuMillis, o.maxCpuMillis, 'm')}</td>
                <td data-label="Memory">{limitText(o.usage.memoryMiB, o.maxMemoryMiB, 'Mi')}</td>
                <td data-label="Plans">{o.allowedPlans?.join(', ') ?? 'all'}</td>
                <td className="actions">
                  <button type="button" className="button" disabled={actingOwner === o.id} onClick={() => setActingOwner(o.id)}>
                    Act as
                  </button>
                  <button type="button" className="button button-quiet" onClick={() => void remove(o)} aria-label={`Delete owner ${o.id}`}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
      </Table>
      <CreateOwnerForm onCreated={owners.reload} />
      <Keys owners={list} />
    </>
  );
}
