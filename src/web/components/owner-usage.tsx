import { unwrap, type Owner } from '../api/client';
import { useSession } from '../context';
import { useAsync } from '../lib/hooks';
import { QuotaBar } from '../pages/health-tab';
import { ProblemAlert } from './problem-alert';

function Limit(props: { label: string; used: number; limit: number | null; unit: string }) {
  if (props.limit === null) {
    return (
      <li className="quota">
        <div className="quota-label">
          <span>{props.label}</span>
          <span className="muted">
            {props.used}
            {props.unit} (no limit)
          </span>
        </div>
      </li>
    );
  }
  return <QuotaBar resource={props.label} used={`${props.used}${props.unit}`} hard={`${props.limit}${props.unit}`} />;
}

/** The signed-in owner's usage against its limits (from GET /api/v1/me); nothing for an admin acting for nobody. */
export function OwnerUsage(props: { refreshKey: unknown }) {
  const { api } = useSession();
  const me = useAsync((signal) => unwrap(api.GET('/api/v1/me', { signal })), [api, props.refreshKey]);
  const owner: Owner | null | undefined = me.data?.owner;
  if (me.error !== undefined) return <ProblemAlert error={me.error} prefix="Could not load the usage" />;
  if (owner === null || owner === undefined) return null;
  return (
    <section className="card owner-usage" aria-label={`Usage of ${owner.name}`}>
      <h2>
        {owner.name} <span className="muted small">({owner.id})</span>
      </h2>
      <ul className="quotas">
        <Limit label="Live stores" used={owner.usage.stores} limit={owner.maxStores} unit="" />
        <Limit label="CPU" used={owner.usage.cpuMillis} limit={owner.maxCpuMillis} unit="m" />
        <Limit label="Memory" used={owner.usage.memoryMiB} limit={owner.maxMemoryMiB} unit="Mi" />
      </ul>
      <p className="muted small">
        CPU and memory add up the plans' quota requests of the live stores. Plans: {owner.allowedPlans?.join(', ') ?? 'all'} · Engines:{' '}
        {owner.allowedEngines?.join(', ') ?? 'all'}
      </p>
    </section>
  );
}
