// Tinybird Forward projects keep sample rows in `fixtures/<data source>.ndjson|csv`, and `tb build` / `tb dev` load them
// into Tinybird Local so a fresh workspace has data to answer with. `react-tinybird dev` does the same, into the data
// sources that are still empty (data persists across restarts: a fixture is never loaded twice).
import { readdir, readFile } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';
import type { Engine } from '../engine/engine';
import type { FileFormat } from '../engine/file-rows';
import type { Project } from '../project/datafiles';
import { datasourceForFixture } from '../project/versions';

/** One fixture file loaded at start. */
export interface LoadedFixture {
  /** The file, relative to the project folder (e.g. `fixtures/analytics_events.ndjson`). */
  file: string;
  datasource: string;
  /** Rows written, and rows that did not fit the schema (in `<datasource>_quarantine`). */
  rows: number;
  quarantined: number;
}

const FORMATS: Record<string, FileFormat> = { '.ndjson': 'ndjson', '.csv': 'csv' };

/**
 * Appends each `fixtures/<name>.ndjson|csv` of the project to data source `<name>` when that data source is empty, as
 * the Data Sources API would (rows that do not fit go to quarantine). A fixture that names no data source, or that
 * cannot be read, is logged and skipped: the server starts anyway.
 */
export async function loadFixtures(
  engine: Engine,
  project: Project,
  log: (message: string) => void,
): Promise<LoadedFixture[]> {
  const dir = join(project.dir, 'fixtures');
  const names = (await readdir(dir).catch(() => [] as string[])).sort();
  const loaded: LoadedFixture[] = [];
  for (const name of names) {
    const format = FORMATS[extname(name).toLowerCase()];
    if (format === undefined) continue;
    const path = join(dir, name);
    const shown = relative(project.dir, path);
    const ds = datasourceForFixture(project.datasources, name.slice(0, -extname(name).length));
    if (!ds) {
      log(`${shown}: no data source of that name is served; the fixture was not loaded`);
      continue;
    }
    try {
      if ((await engine.count(ds.name)) > 0) continue;
      const result = await engine.importFile(ds, format, await readFile(path), 'append');
      loaded.push({
        file: shown,
        datasource: ds.name,
        rows: result.successful_rows,
        quarantined: result.quarantined_rows,
      });
    } catch (error) {
      log(`${shown}: the fixture could not be loaded into ${ds.name}: ${(error as Error).message}`);
    }
  }
  return loaded;
}
