import { exactTime, relativeTime } from '../lib/format';
import { useNow } from '../lib/hooks';

/** Relative time with the exact UTC time beside it (and in the element's datetime). */
export function TimeText(props: { iso: string; stacked?: boolean }) {
  const now = useNow(15_000);
  return (
    <time dateTime={props.iso} title={exactTime(props.iso)} className={props.stacked ? 'time stacked' : 'time'}>
      <span className="time-relative">{relativeTime(props.iso, now)}</span>
      <span className="time-exact">{exactTime(props.iso)}</span>
    </time>
  );
}
