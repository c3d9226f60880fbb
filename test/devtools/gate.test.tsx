import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { TinybirdProvider } from '../../src/index';
import { TinybirdDevtools } from '../../src/devtools/index';
import type { TinybirdDevtoolsProps } from '../../src/devtools/index';

const env = process.env.NODE_ENV;
afterEach(() => {
  process.env.NODE_ENV = env;
});

const renderDevtools = (props: TinybirdDevtoolsProps = {}) =>
  render(
    <TinybirdProvider token="p.static-read-token">
      <main>app</main>
      <TinybirdDevtools {...props} />
    </TinybirdProvider>,
  );

describe('<TinybirdDevtools />: when it renders', () => {
  it('renders nothing in production', () => {
    process.env.NODE_ENV = 'production';
    const { container } = renderDevtools();
    expect(container.innerHTML).toBe('<main>app</main>');
  });

  it('renders in production when forced', () => {
    process.env.NODE_ENV = 'production';
    renderDevtools({ force: true });
    expect(screen.getByRole('button', { name: 'Tinybird devtools' })).toHaveAttribute('aria-expanded', 'false');
  });

  it('outside production: a closed toggle that opens a labelled region it controls, and closes it again', async () => {
    process.env.NODE_ENV = 'development';
    renderDevtools();
    const toggle = screen.getByRole('button', { name: 'Tinybird devtools' });
    expect(screen.queryByRole('region', { name: 'Tinybird devtools' })).toBeNull();
    await act(async () => {
      fireEvent.click(toggle);
    });
    const region = screen.getByRole('region', { name: 'Tinybird devtools' });
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    expect(toggle).toHaveAttribute('aria-controls', region.id);
    for (const name of ['Token', 'Requests (0)', 'Append queues', 'Query cache (0)']) {
      expect(screen.getByRole('heading', { name })).toBeInTheDocument();
    }
    fireEvent.click(screen.getByRole('button', { name: 'Close Tinybird devtools' }));
    expect(screen.queryByRole('region')).toBeNull();
  });

  it('its stylesheet only has selectors under .rtbd-', () => {
    renderDevtools({ initialIsOpen: true });
    const sheet = document.querySelector('.rtbd-root style')!.textContent!;
    // Every rule's selector list, with @media wrappers and ancestor contexts (.dark, [data-theme]) taken off.
    const selectors = [...sheet.matchAll(/(?:^|})\s*([^{}@]+)\{/g)].flatMap((m) => m[1]!.split(','));
    expect(selectors.length).toBeGreaterThan(20);
    for (const selector of selectors) expect(selector).toMatch(/\.rtbd-[\w-]+/);
  });
});
