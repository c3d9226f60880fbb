import type { ReactNode } from 'react';
import { Panel } from './Panel';
import type { TinybirdDevtoolsProps } from './Panel';

export type { TinybirdDevtoolsProps } from './Panel';

/**
 * Outside production builds: read at render time, so a test (or a dev server) that changes NODE_ENV is followed.
 * Written out in full so bundlers replace it; where nothing replaced it and there is no `process`, this is not a
 * production build of a bundled app.
 */
const isProduction = () => {
  try {
    return process.env.NODE_ENV === 'production';
  } catch {
    return false;
  }
};

function Development({ force = false, ...props }: TinybirdDevtoolsProps): ReactNode {
  return isProduction() && !force ? null : <Panel {...props} />;
}

let warned = false;
function Production({ force }: TinybirdDevtoolsProps): ReactNode {
  if (force && !warned) {
    warned = true;
    console.warn(
      'react-tinybird: <TinybirdDevtools force /> renders nothing in a production build, which leaves the panel out; import TinybirdDevtoolsPanel to ship it on purpose.',
    );
  }
  return null;
}

/**
 * A toggle button that opens a panel on the provider's token, requests, append queues and cached queries. Put it
 * anywhere inside `<TinybirdProvider>`. A production build gets a component that renders nothing, decided when the
 * module loads (as ReactQueryDevtools does), so bundlers drop the whole panel; to ship it in production on purpose
 * (behind a staff-only flag) import `TinybirdDevtoolsPanel`. Outside production `force` is still honoured when
 * NODE_ENV changes at run time.
 *
 * @example
 * ```tsx
 * import { TinybirdDevtools } from 'react-tinybird/devtools';
 *
 * <TinybirdProvider tokenUrl="/api/tinybird-token">
 *   <Dashboard />
 *   <TinybirdDevtools />
 * </TinybirdProvider>
 * ```
 */
// A constant condition once a bundler replaces process.env.NODE_ENV: the branch not taken, and the panel with it, is
// dropped from production bundles. Like React's own entry, this expects a bundler (or Node) to provide it.
export const TinybirdDevtools: (props: TinybirdDevtoolsProps) => ReactNode =
  process.env.NODE_ENV === 'production' ? Production : Development;
