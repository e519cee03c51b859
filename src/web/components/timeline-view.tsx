import type { StoreEvent } from '../api/client';
import { exactTime, formatDuration } from '../lib/format';
import { buildTimeline, type StepState } from '../lib/timeline';

const STATE_LABEL: Record<StepState, string> = {
  pending: 'Pending',
  running: 'Running',
  retrying: 'Retrying',
  done: 'Done',
  failed: 'Failed',
  note: 'Note',
};
const STATE_ICON: Record<StepState, string> = {
  pending: '○',
  running: '◐',
  retrying: '↻',
  done: '✓',
  failed: '✕',
  note: 'i',
};

/** The provisioning timeline: one entry per step with its state, duration, attempts and messages. */
export function TimelineView(props: { events: readonly StoreEvent[]; now: number; live: boolean }) {
  const steps = buildTimeline(props.events);
  if (steps.length === 0) {
    return <p className="muted">{props.live ? 'Waiting for the first step…' : 'Nothing on the timeline yet.'}</p>;
  }
  return (
    <ol className="timeline" aria-label="Provisioning steps">
      {steps.map((s) => {
        const running = s.state === 'running' || s.state === 'retrying';
        const duration =
          running && s.startedAt !== null ? props.now - Date.parse(s.startedAt) : s.durationMs;
        return (
          <li key={s.step} className={`timeline-step step-${s.state}`} data-step={s.step} data-state={s.state}>
            <span className="step-icon" aria-hidden="true">
              {STATE_ICON[s.state]}
            </span>
            <div className="step-body">
              <div className="step-head">
                <span className="step-name">{s.step}</span>
                <span className={`step-state state-${s.state}`}>{STATE_LABEL[s.state]}</span>
                {duration !== null ? (
                  <span className="step-meta" title="Duration">
                    {formatDuration(duration)}
                    {running ? ' so far' : ''}
                  </span>
                ) : null}
                {s.attempts > 1 ? <span className="step-meta">{s.attempts} attempts</span> : s.attempts === 1 ? <span className="step-meta">1 attempt</span> : null}
              </div>
              <ul className="step-messages">
                {s.events.map((e) => (
                  <li key={e.id} className={`phase-${e.phase}`}>
                    <time dateTime={e.at} title={exactTime(e.at)}>
                      {exactTime(e.at).slice(11, 19)}
                    </time>{' '}
                    <span className="visually-hidden">{e.phase}: </span>
                    {e.message || e.phase}
                    {e.count > 1 && e.lastAt !== null ? (
                      <span className="step-meta" title={`Last at ${exactTime(e.lastAt)}`}>
                        {' '}×{e.count}, until {exactTime(e.lastAt).slice(11, 19)}
                      </span>
                    ) : null}
                  </li>
                ))}
              </ul>
            </div>
          </li>
        );
      })}
    </ol>
  );
}
