import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// waitFor/findBy wait on a condition; their 1 s default is a clock, and shared 2-core CI machines stall longer than
// that. A test still fails when its condition never holds.
configure({ asyncUtilTimeout: 10_000 });

afterEach(() => cleanup());
