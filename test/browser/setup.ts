// Runs around every story test in Chromium: fails a story that logs a console error or throws uncaught, and compares
// what the story shows with its reference screenshot in docs/screenshots/ (<file>-<story>.png), then again in the dark
// theme (<file>-<story>-dark.png). `npm run screenshots` (vitest --update) rewrites the references.
import { configure } from 'storybook/test';
import { afterEach, beforeEach, expect, vi } from 'vitest';
import { page } from 'vitest/browser';

// Play functions' waitFor waits on a condition; its 1 s default is a clock, and shared 2-core CI machines stall longer.
configure({ asyncUtilTimeout: 10_000 });

/** Stories whose picture changes by design on every run. */
const NOT_PICTURED: Record<string, string> = {
  Hooks: 'rows appended at the current time, query statistics',
  TokenInspector: 'countdowns and token times',
  Devtools: 'expiry countdowns, request times and latencies (its play functions check the panel)',
};

/** Hidden while the picture is taken: the latency footer and the fetching dot report this run's timings. */
const VOLATILE = '.rtb-footer, .rtb-fetching { visibility: hidden !important; }';

let errors: string[] = [];
const onError = (event: ErrorEvent) => errors.push(`uncaught: ${event.message}`);
const onRejection = (event: PromiseRejectionEvent) => errors.push(`unhandled rejection: ${String(event.reason)}`);

const kebab = (s: string) =>
  s
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();

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
  expect(errors, 'console errors during the story').toEqual([]);
  const file = context.task.file.name.replace(/^.*\//, '').replace(/\.stories\.tsx$/, '');
  if (file in NOT_PICTURED || context.task.result?.state === 'fail') return;
  const name = `${kebab(file)}-${kebab(context.task.name)}`;
  const body = page.elementLocator(document.body);
  const options = {
    screenshotOptions: { style: VOLATILE, animations: 'disabled' as const, caret: 'hide' as const },
    // How long to wait for two equal screenshots in a row (5 s by default): generous, for a loaded machine.
    timeout: 12_000,
  };
  await expect.element(body).toMatchScreenshot(name, options);
  // Stories named after a theme are pictured in it only; the others in both.
  const story = document.querySelector<HTMLElement>('.story-page');
  if (!story || /^(light|dark)$/i.test(context.task.name)) return;
  story.dataset.theme = 'dark';
  try {
    await expect.element(body).toMatchScreenshot(`${name}-dark`, options);
  } finally {
    story.dataset.theme = 'light';
  }
});
