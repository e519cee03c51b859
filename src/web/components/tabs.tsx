import { useRef, type KeyboardEvent, type ReactNode } from 'react';

export interface TabDef {
  readonly id: string;
  readonly label: string;
}

/**
 * WAI-ARIA tabs with automatic activation: arrow keys, Home and End move between tabs, Tab moves
 * into the panel. The selected tab is controlled (it lives in the URL).
 */
export function Tabs(props: { label: string; tabs: readonly TabDef[]; selected: string; onSelect: (id: string) => void; children: ReactNode; idPrefix: string }) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const index = Math.max(0, props.tabs.findIndex((t) => t.id === props.selected));
  const move = (to: number) => {
    const n = props.tabs.length;
    const i = ((to % n) + n) % n;
    props.onSelect(props.tabs[i]!.id);
    refs.current[i]?.focus();
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const keys: Record<string, () => void> = {
      ArrowRight: () => move(index + 1),
      ArrowLeft: () => move(index - 1),
      Home: () => move(0),
      End: () => move(props.tabs.length - 1),
    };
    const f = keys[e.key];
    if (f) {
      e.preventDefault();
      f();
    }
  };
  return (
    <div className="tabs">
      <div role="tablist" aria-label={props.label} className="tablist" onKeyDown={onKeyDown}>
        {props.tabs.map((t, i) => (
          <button
            key={t.id}
            ref={(el) => {
              refs.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`${props.idPrefix}-tab-${t.id}`}
            aria-selected={i === index}
            aria-controls={`${props.idPrefix}-panel`}
            tabIndex={i === index ? 0 : -1}
            className="tab"
            onClick={() => props.onSelect(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${props.idPrefix}-panel`} aria-labelledby={`${props.idPrefix}-tab-${props.tabs[index]?.id ?? ''}`} tabIndex={0} className="tabpanel">
        {props.children}
      </div>
    </div>
  );
}
