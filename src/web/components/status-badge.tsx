import type { StoreStatus } from '../api/client';

const ICON: Record<StoreStatus, string> = {
  Pending: '◷',
  Provisioning: '◐',
  Ready: '●',
  Upgrading: '⇡',
  Restoring: '◑',
  Suspending: '◑',
  Suspended: '‖',
  Resuming: '◒',
  Failed: '✕',
  Deleting: '◌',
  Deleted: '○',
};

/** Status as text plus colour and a shape, so it reads without colour too. */
export function StatusBadge(props: { status: StoreStatus; queuePosition?: number | null }) {
  const { status, queuePosition } = props;
  // queue position: 1 is next, 0 is being worked on
  const queue =
    status !== 'Pending' || queuePosition === null || queuePosition === undefined ? null : queuePosition === 0 ? 'starting' : `#${queuePosition} in queue`;
  return (
    <span className={`badge badge-${status.toLowerCase()}`} data-status={status}>
      <span aria-hidden="true">{ICON[status]}</span> {status}
      {queue ? <span className="badge-extra"> · {queue}</span> : null}
    </span>
  );
}
