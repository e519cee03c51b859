import type { ReactNode } from 'react';

/** A labelled table with one header row (on phones each row becomes a card: give cells a `data-label`). */
export function Table(props: { label: string; columns: readonly string[]; children: ReactNode; className?: string; busy?: boolean }) {
  return (
    <div className="table-wrap">
      <table className={`table ${props.className ?? ''}`} aria-label={props.label} aria-busy={props.busy}>
        <thead>
          <tr>
            {props.columns.map((c, i) => (
              <th key={i} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
}
