import type { ReactNode } from 'react';
import { Panel } from './Panel';
import type { TinybirdDevtoolsProps } from './Panel';

/**
 * The devtools panel, rendered in every build: what to import to ship the devtools in production on purpose (e.g.
 * behind a staff-only flag). `<TinybirdDevtools />` renders nothing in production builds and carries none of this.
 *
 * @example
 * ```tsx
 * import { TinybirdDevtoolsPanel } from 'react-tinybird/devtools';
 *
 * {user.isStaff && <TinybirdDevtoolsPanel />}
 * ```
 */
export function TinybirdDevtoolsPanel(props: Omit<TinybirdDevtoolsProps, 'force'>): ReactNode {
  return <Panel {...props} />;
}
