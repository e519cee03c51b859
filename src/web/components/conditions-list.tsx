import type { Store } from '../api/client';
import { TimeText } from './time-text';

const MARK: Record<Store['conditions'][number]['status'], { icon: string; className: string }> = {
  True: { icon: '✓', className: 'text-ok' },
  False: { icon: '✕', className: 'text-error' },
  Unknown: { icon: '…', className: 'muted' },
};

/** The store's conditions, one per provisioning step and Ready last, like `kubectl describe` shows them. */
export function ConditionsList({ conditions }: { conditions: Store['conditions'] }) {
  if (conditions.length === 0) return null;
  return (
    <section aria-label="Conditions">
      <h2>Conditions</h2>
      <div className="table-wrap">
        <table className="table compact">
          <thead>
            <tr>
              <th scope="col">Type</th>
              <th scope="col">Status</th>
              <th scope="col">Reason</th>
              <th scope="col">Message</th>
              <th scope="col">Since</th>
            </tr>
          </thead>
          <tbody>
            {conditions.map((c) => (
              <tr key={c.type}>
                <td data-label="Type">{c.type}</td>
                <td data-label="Status" className={MARK[c.status].className}>
                  <span aria-hidden="true">{MARK[c.status].icon}</span> {c.status}
                </td>
                <td data-label="Reason">{c.reason}</td>
                <td data-label="Message">{c.message || '—'}</td>
                <td data-label="Since">
                  <TimeText iso={c.lastTransitionTime} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
