import type { Decorator, Preview } from '@storybook/react-vite';
import { TinybirdProvider } from 'react-tinybird';
import { TinybirdDevtools } from 'react-tinybird/devtools';
import { auth } from '../stories/lib/tinybird';
import './preview.css';

const withTheme: Decorator = (Story, { globals }) => {
  const theme: 'light' | 'dark' = globals.theme === 'dark' ? 'dark' : 'light';
  // Charts default to theme="auto", which follows a data-theme ancestor: this is the ancestor. preview.css paints the
  // whole canvas after it.
  return (
    <div className="story-page" data-theme={theme}>
      <Story />
    </div>
  );
};

/**
 * Every story gets its own provider (fresh token source and query cache), keyed by story so nothing leaks between them,
 * and the devtools toggle (closed; `parameters.devtools = false` leaves it out). Stories that build their own
 * providers (several tenants, a broken token service) set `parameters.tinybird = false`.
 */
const withTinybird: Decorator = (Story, { id, parameters }) => {
  const options = parameters.tinybird as false | { query?: Record<string, string | number> } | undefined;
  if (options === false) return <Story />;
  return (
    <TinybirdProvider key={id} {...auth(options?.query)}>
      {parameters.devtools !== false && <TinybirdDevtools />}
      <Story />
    </TinybirdProvider>
  );
};

const preview: Preview = {
  decorators: [withTinybird, withTheme],
  globalTypes: {
    theme: {
      description: 'Chart theme',
      toolbar: { title: 'Theme', icon: 'mirror', items: ['light', 'dark'], dynamicTitle: true },
    },
  },
  initialGlobals: { theme: 'light' },
  parameters: { layout: 'fullscreen', controls: { expanded: true } },
};

export default preview;
