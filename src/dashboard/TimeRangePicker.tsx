import { useId, useState, type CSSProperties, type ReactNode } from 'react';
import { useDashboard } from './useDashboard';
import { PRESETS, checkRange, isPreset, type TimeRange } from './lib/range';
import { fromWallTime, wallTime } from './lib/zone';

/**
 * Props of {@link TimeRangePicker}.
 *
 * @example
 * ```ts
 * const props: TimeRangePickerProps = { presets: ['24h', '7d', '30d'], label: 'Period' };
 * ```
 */
export interface TimeRangePickerProps {
  /** The presets offered, in order. Default: all of them. */
  presets?: readonly Extract<TimeRange, string>[];
  /** Offer a custom range (two date-time fields). Default true. */
  custom?: boolean;
  /** The visible label. Default 'Time range'. */
  label?: ReactNode;
  className?: string;
  style?: CSSProperties;
}

const ALL = Object.keys(PRESETS) as Extract<TimeRange, string>[];

/** `YYYY-MM-DDTHH:MM` of an instant's wall clock in `timeZone`: a datetime-local field's value. */
const fieldValue = (t: Date, timeZone: string) => new Date(wallTime(t.getTime(), timeZone)).toISOString().slice(0, 16);
/** The instant a datetime-local value names in `timeZone`, or NaN. */
const fieldInstant = (value: string, timeZone: string) => fromWallTime(Date.parse(`${value}:00Z`), timeZone);

/**
 * The dashboard's time range: a native select of presets plus "Custom range", which shows two labelled date-time
 * fields (in the dashboard's time zone). Keyboard operable as native controls are; a start after the end is refused
 * with a message, and the range stays as it was.
 *
 * @example
 * ```tsx
 * <DashboardProvider url><TimeRangePicker presets={['24h', '7d', '30d']} /></DashboardProvider>
 * ```
 */
export function TimeRangePicker(props: TimeRangePickerProps): ReactNode {
  const { presets = ALL, custom = true, label = 'Time range', className, style } = props;
  const { range, setRange, resolved, timeZone } = useDashboard();
  const id = useId();
  const [draft, setDraft] = useState<{ start: string; end: string } | null>(null);
  const isCustom = typeof range === 'object' || draft !== null;
  const fixed = typeof range === 'object' ? range : resolved;
  const fields = draft ?? { start: fieldValue(fixed.start, timeZone), end: fieldValue(fixed.end, timeZone) };
  let error: string | null = null;
  if (draft) {
    try {
      checkRange({
        start: new Date(fieldInstant(draft.start, timeZone)),
        end: new Date(fieldInstant(draft.end, timeZone)),
      });
    } catch (e) {
      error = (e as Error).message;
    }
  }

  const edit = (edge: 'start' | 'end', value: string) => {
    const next = { ...fields, [edge]: value };
    const start = new Date(fieldInstant(next.start, timeZone));
    const end = new Date(fieldInstant(next.end, timeZone));
    try {
      setRange(checkRange({ start, end }));
      setDraft(null);
    } catch {
      setDraft(next); // shown with its message until it is a range
    }
  };

  return (
    <div
      role="group"
      aria-labelledby={`${id}-label`}
      className={className ?? 'rtb-range'}
      style={{ display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'center', ...style }}
    >
      <label id={`${id}-label`} htmlFor={`${id}-preset`}>
        {label}
      </label>
      <select
        id={`${id}-preset`}
        value={isCustom ? 'custom' : (range as string)}
        onChange={(e) => {
          const value = e.target.value;
          if (isPreset(value)) {
            setDraft(null);
            setRange(value);
          } else {
            // Custom starts from what is shown now, fixed.
            setRange({ start: resolved.start, end: resolved.end });
          }
        }}
      >
        {presets.map((p) => (
          <option key={p} value={p}>
            {PRESETS[p]}
          </option>
        ))}
        {custom && <option value="custom">Custom range</option>}
      </select>
      {custom && isCustom && (
        <>
          <label>
            From{' '}
            <input
              type="datetime-local"
              value={fields.start}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${id}-error` : undefined}
              onChange={(e) => edit('start', e.target.value)}
            />
          </label>
          <label>
            To{' '}
            <input
              type="datetime-local"
              value={fields.end}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${id}-error` : undefined}
              onChange={(e) => edit('end', e.target.value)}
            />
          </label>
          {timeZone !== 'UTC' ? null : <span style={{ color: 'var(--rtb-muted, #6b7280)' }}>UTC</span>}
          {error && (
            <span id={`${id}-error`} role="alert" style={{ color: 'var(--rtb-down, #dc2626)' }}>
              {error}
            </span>
          )}
        </>
      )}
    </div>
  );
}
