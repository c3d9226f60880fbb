/**
 * What a request was for, read from its URL: a pipe (by name), SQL (the statement, when it went in the URL) or an
 * append (the data source). Anything else is `other`, named by its path.
 */
export interface RequestTarget {
  kind: 'pipe' | 'sql' | 'events' | 'other';
  name: string;
}

export function describeRequest(url: string): RequestTarget {
  const [path = '', query = ''] = url.split('?', 2);
  const search = new URLSearchParams(query);
  const pipe = /^\/v0\/pipes\/([^/]+)\.json$/.exec(path);
  if (pipe) return { kind: 'pipe', name: decodeURIComponent(pipe[1]!) };
  // A long statement is POSTed and its text is not in the URL.
  if (path === '/v0/sql') return { kind: 'sql', name: search.get('q') ?? '(statement in the body)' };
  if (path === '/v0/events') return { kind: 'events', name: search.get('name') ?? '' };
  return { kind: 'other', name: path };
}
