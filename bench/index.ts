/**
 * `npm run bench [-- section...]`: runs the benchmark sections in one process, prints one markdown table per section and
 * writes bench/results.json. Sections: bundle, tokens, query, appends, renders, local, fairness, hostile, healing, kit.
 * Exits 1 when a must-hold check fails or a section cannot run.
 */
// Order matters: the server entry refuses to load once a DOM exists, and react-dom and react-query look for `window`
// once, when they load. So: backend first, then the DOM, then everything else.
import './lib/backend';
import './lib/dom';
import { writeFileSync } from 'node:fs';
import { cpus, totalmem, type as osType, release } from 'node:os';
import { markdownChecks, markdownTable } from './lib/markdown';
import { closeLocal, startLocal } from './lib/local';
import type { BenchContext, Section, SectionResult } from './lib/section';

/** Loaded one by one so a section whose subject has not landed yet is reported instead of stopping the run. */
const sections: Record<string, { title: string; load: () => Promise<Section> }> = {
  bundle: { title: 'Bundle size', load: async () => (await import('./bundle')).bundleSection },
  tokens: { title: 'Token traffic', load: async () => (await import('./tokens')).tokensSection },
  query: { title: 'Query overhead', load: async () => (await import('./query')).querySection },
  appends: { title: 'Appends', load: async () => (await import('./appends')).appendsSection },
  renders: { title: 'Renders', load: async () => (await import('./renders')).rendersSection },
  local: { title: 'Local server', load: async () => (await import('./local-server')).localServerSection },
  fairness: { title: 'Query fairness', load: async () => (await import('./fairness')).fairnessSection },
  hostile: { title: 'Hostile input', load: async () => (await import('./hostile')).hostileSection },
  healing: { title: 'Healing', load: async () => (await import('./healing')).healingSection },
  kit: {
    title: 'Side by side with the web analytics starter kit',
    load: async () => (await import('./kit')).kitSection,
  },
};

const requested = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const unknown = requested.filter((id) => !(id in sections));
if (unknown.length > 0) {
  console.error(`unknown section(s): ${unknown.join(', ')}; known: ${Object.keys(sections).join(', ')}`);
  process.exit(2);
}
const ids = requested.length > 0 ? requested : Object.keys(sections);

const machine = {
  date: new Date().toISOString(),
  cpu: cpus()[0]?.model.trim() ?? 'unknown',
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  os: `${osType()} ${release()}`,
  node: process.version,
};

const started = performance.now();
const log = (message: string) => process.stderr.write(`  · ${message}\n`);
const ctx: BenchContext = { local: () => startLocal(log), log };

console.log(`# react-tinybird benchmarks\n`);
console.log(
  `${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}, ${machine.date}\n`,
);

const results: Record<string, (SectionResult & { title: string; seconds: number }) | { title: string; error: string }> =
  {};
let failed = false;
try {
  for (const [index, id] of ids.entries()) {
    const { title, load } = sections[id]!;
    const heading = `## ${Object.keys(sections).indexOf(id) + 1}. ${title}`;
    process.stderr.write(`[${index + 1}/${ids.length}] ${id}\n`);
    const t0 = performance.now();
    try {
      const section = await load();
      const result = await section.run(ctx);
      const seconds = (performance.now() - t0) / 1000;
      results[id] = { title, seconds, ...result };
      console.log(`${heading}\n\n${result.summary}\n`);
      for (const table of result.tables) console.log(`${markdownTable(table)}\n`);
      if (result.checks.length > 0) console.log(`${markdownChecks(result.checks)}\n`);
      for (const note of result.notes) console.log(`_${note}_\n`);
      if (result.checks.some((c) => c.kind === 'must' && !c.ok)) failed = true;
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      results[id] = { title, error: message };
      console.log(`${heading}\n\nNot run: ${message.split('\n')[0]}\n`);
      process.stderr.write(`${message}\n`);
      failed = true;
    }
  }
} finally {
  await closeLocal();
}

const seconds = (performance.now() - started) / 1000;
console.log(`_Total bench time: ${seconds.toFixed(0)} s._`);
writeFileSync(
  new URL('./results.json', import.meta.url),
  `${JSON.stringify({ machine, seconds, sections: results }, null, 2)}\n`,
);
process.exit(failed ? 1 : 0);
