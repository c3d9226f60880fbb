// A running Tinybird (Cloud, Tinybird Local or this package's local server) as a source of types, through its HTTP
// API only: the pipes and their nodes' SQL (GET /v0/pipes, /v0/pipes/<name>), the data sources' schemas
// (/v0/datasources/<name>), and each endpoint's output columns from the `meta` of a call that reads none of its rows
// (`q=SELECT * FROM _ LIMIT 0`). Needs a token that may read pipe definitions: the workspace admin token.
import { parseJsonPath, type SourceColumn, type SourceNode, type SourcePipe, type SourceProject } from './adapter';

interface PipeJson {
  name: string;
  description?: string | null;
  type?: string;
  endpoint?: string | null;
  nodes?: Array<{ name: string; sql: string; node_type?: string }>;
}

interface DatasourceJson {
  name: string;
  description?: string | null;
  columns?: Array<{ name: string; type: string; jsonpath?: string | null; default_value?: string | null }>;
}

/** Tinybird describes an unset json path as empty: the column's own name is read. */
function path(column: { name: string; jsonpath?: string | null }): SourceColumn['path'] {
  try {
    return parseJsonPath(column.jsonpath || `$.${column.name}`).map((s) => ('key' in s ? s.key : null));
  } catch {
    return [column.name];
  }
}

/**
 * The project served at `url`, read with `token`.
 *
 * @example
 * ```ts
 * const project = await openRemoteProject('https://api.tinybird.co', process.env.TINYBIRD_ADMIN_TOKEN!);
 * ```
 */
export async function openRemoteProject(url: string, token: string): Promise<SourceProject> {
  const base = url.replace(/\/+$/, '');
  const get = async <T>(route: string): Promise<T> => {
    const response = await fetch(`${base}${route}`, { headers: { Authorization: `Bearer ${token}` } });
    const text = await response.text();
    if (!response.ok) {
      let message = text;
      try {
        message = (JSON.parse(text) as { error?: string }).error ?? text;
      } catch {
        // not JSON: the text as it came
      }
      throw new Error(`GET ${route}: ${response.status} ${message}`.trim());
    }
    return JSON.parse(text) as T;
  };
  const { pipes: listed, errors = [] } = await get<{
    pipes: Array<{ name: string }>;
    errors?: Array<{ file: string; line: number; error: string }>;
  }>('/v0/pipes');
  const pipes = new Map<string, SourceNode[]>();
  const endpoints: SourcePipe[] = [];
  for (const { name } of listed) {
    const pipe = await get<PipeJson>(`/v0/pipes/${encodeURIComponent(name)}`);
    const nodes = (pipe.nodes ?? []).map((n, i) => ({ name: n.name, sql: n.sql, line: i + 1 }));
    const at = nodes.findIndex((n) => n.name === pipe.endpoint);
    const last = at === -1 ? nodes.length - 1 : at;
    pipes.set(pipe.name, nodes.slice(0, last + 1));
    if (at === -1 && pipe.type !== 'endpoint') continue;
    endpoints.push({
      name: pipe.name,
      // No file over HTTP: the pipe, and its node's position, name the place.
      file: `${pipe.name}.pipe`,
      ...(pipe.description ? { description: pipe.description } : {}),
      nodes: nodes.slice(0, last + 1),
      line: last + 1,
    });
  }
  const datasources = [];
  for (const { name } of (await get<{ datasources: Array<{ name: string }> }>('/v0/datasources')).datasources) {
    const ds = await get<DatasourceJson>(`/v0/datasources/${encodeURIComponent(name)}`);
    datasources.push({
      name: ds.name,
      file: `${ds.name}.datasource`,
      ...(ds.description ? { description: ds.description } : {}),
      columns: (ds.columns ?? []).map((c) => ({
        name: c.name,
        type: c.type,
        path: path(c),
        hasDefault: c.default_value !== null && c.default_value !== undefined && c.default_value !== '',
      })),
    });
  }
  return {
    dir: base,
    datasources,
    endpoints,
    pipes,
    // The pipes the server refused (this package's local server lists them): left out, and said why.
    problems: errors.map((e) => `${e.file}:${e.line}: ${e.error}`),
    async describe(name, params) {
      const query = new URLSearchParams({ q: 'SELECT * FROM _ LIMIT 0' });
      for (const [key, value] of Object.entries(params))
        query.set(key, Array.isArray(value) ? value.join(',') : String(value));
      const result = await get<{ meta: Array<{ name: string; type: string }> }>(
        `/v0/pipes/${encodeURIComponent(name)}.json?${query}`,
      );
      return result.meta;
    },
    close: async () => {},
  };
}
