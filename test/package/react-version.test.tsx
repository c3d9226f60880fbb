import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import { version as reactVersion } from 'react';
import { version as domVersion } from 'react-dom';
import { expect, it } from 'vitest';

// Under `npm run test:react18` (REACT18_DIR set) every React import must be the scratch React 18, and the
// packages that import React must share that one copy: a second copy fails the render below with an invalid hook call.
const expectedMajor = process.env['REACT18_DIR'] ? '18' : '19';

it(`runs on React ${expectedMajor} with a single React copy`, async () => {
  expect(reactVersion.split('.')[0]).toBe(expectedMajor);
  expect(domVersion).toBe(reactVersion);

  function Probe() {
    const { data } = useQuery({ queryKey: ['probe'], queryFn: async () => `react ${reactVersion}` });
    return <p>{data ?? 'loading'}</p>;
  }
  render(
    <QueryClientProvider client={new QueryClient()}>
      <Probe />
    </QueryClientProvider>,
  );
  expect(await screen.findByText(`react ${reactVersion}`)).toBeInTheDocument();
});
