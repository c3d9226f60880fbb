// Runs before every story test in Chromium: fails a story that logs a console error or throws uncaught, and saves a
// screenshot of each chart story to screenshots/ci/ (gitignored) for a person to look at.
import { afterEach, beforeEach, expect, vi } from 'vitest';
import { page, server } from 'vitest/browser';

let errors: string[] = [];
const onError = (event: ErrorEvent) => errors.push(`uncaught: ${event.message}`);
const onRejection = (event: PromiseRejectionEvent) => errors.push(`unhandled rejection: ${String(event.reason)}`);

beforeEach(() => {
  errors = [];
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    errors.push(args.map(String).join(' '));
  });
  window.addEventListener('error', onError);
  window.addEventListener('unhandledrejection', onRejection);
});

afterEach(async (context) => {
  window.removeEventListener('error', onError);
  window.removeEventListener('unhandledrejection', onRejection);
  vi.restoreAllMocks();
  const file = context.task.file.name.replace(/^.*\//, '').replace(/\.stories\.tsx$/, '');
  if (file !== 'Hooks' && context.task.result?.state !== 'fail') {
    const name = `${file}-${context.task.name}`.replace(/[^\w-]+/g, '_');
    const root = document.querySelector('[data-theme]') ?? document.body;
    await page.screenshot({ path: `${server.config.root}/screenshots/ci/${name}.png`, element: root });
  }
  expect(errors, 'console errors during the story').toEqual([]);
});
