import type { ReactNode } from 'react';
import type { RolloutStatus, RolloutStoreStatus } from '../lib/rollouts';
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

const ROLLOUT_ICON: Record<RolloutStatus, string> = {
  Running: '◐',
  Paused: '‖',
  Halted: '■',
  Aborted: '○',
  Succeeded: '●',
};

const ROLLOUT_STORE_ICON: Record<RolloutStoreStatus, string> = {
  Pending: '◷',
  Upgrading: '⇡',
  Succeeded: '●',
  RolledBack: '↺',
  Failed: '✕',
  Skipped: '○',
};

/** Status as text plus colour and a shape, so it reads without colour too. */
function Badge(props: { status: string; icon: string; children?: ReactNode }) {
  return (
    <span className={`badge badge-${props.status.toLowerCase()}`} data-status={props.status}>
      <span aria-hidden="true">{props.icon}</span> {props.status}
      {props.children}
    </span>
  );
}

/** A store's status; a Pending one with its place in the provisioning queue. */
export function StatusBadge(props: { status: StoreStatus; queuePosition?: number | null }) {
  const { status, queuePosition } = props;
  // queue position: 1 is next, 0 is being worked on
  const queue =
    status !== 'Pending' || queuePosition === null || queuePosition === undefined ? null : queuePosition === 0 ? 'starting' : `#${queuePosition} in queue`;
  return (
    <Badge status={status} icon={ICON[status]}>
      {queue ? <span className="badge-extra"> · {queue}</span> : null}
    </Badge>
  );
}

/** A fleet rollout's status. */
export function RolloutStatusBadge(props: { status: RolloutStatus }) {
  return <Badge status={props.status} icon={ROLLOUT_ICON[props.status]} />;
}

/** Where one store of a rollout is. */
export function RolloutStoreBadge(props: { status: RolloutStoreStatus }) {
  return <Badge status={props.status} icon={ROLLOUT_STORE_ICON[props.status]} />;
}
