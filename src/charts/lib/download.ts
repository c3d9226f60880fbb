import { TinybirdError, encodeParams, type Params, type TinybirdClient } from 'react-tinybird';

/**
 * The formats a chart can export, as Tinybird names the pipe endpoints' extensions.
 *
 * @example
 * ```ts
 * const formats: ExportFormat[] = ['csv', 'ndjson', 'parquet'];
 * ```
 */
export type ExportFormat = 'csv' | 'ndjson' | 'parquet';

const CODES: Record<number, 'BAD_REQUEST' | 'FORBIDDEN' | 'NOT_FOUND' | 'RATE_LIMITED'> = {
  400: 'BAD_REQUEST',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  429: 'RATE_LIMITED',
};

/**
 * The rows a chart shows, as a file: the same pipe and params, Tinybird's `.csv`/`.ndjson`/`.parquet` endpoint, the
 * client's token in the Authorization header (a 403 refreshes it once). Never a token in a URL.
 */
export async function fetchExport(
  client: TinybirdClient,
  pipe: string,
  params: Params | undefined,
  format: ExportFormat,
): Promise<Blob> {
  const query = new URLSearchParams(encodeParams(params)).toString();
  const url = `${client.baseUrl()}/v0/pipes/${encodeURIComponent(pipe)}.${format}${query ? `?${query}` : ''}`;
  for (let attempt = 0; ; attempt++) {
    const token = attempt === 0 ? await client.tokens.getToken() : await client.tokens.refresh();
    let response: Response;
    try {
      response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
    } catch (cause) {
      throw new TinybirdError('NETWORK', `Exporting ${pipe} as ${format} failed: no answer`, { cause });
    }
    if (response.ok) return response.blob();
    if (response.status === 403 && attempt === 0) continue;
    const body = await response.text().catch(() => '');
    // Tinybird answers errors as {"error": "..."}, whatever the format asked for.
    let serverMessage = body;
    try {
      serverMessage = String((JSON.parse(body) as { error?: unknown }).error ?? body);
    } catch {
      // not JSON: the text as it came
    }
    throw new TinybirdError(
      CODES[response.status] ?? 'SERVER_ERROR',
      `Exporting ${pipe} as ${format}: ${serverMessage || response.statusText}`,
      { status: response.status, serverMessage },
    );
  }
}

/** Saves a blob as a file through an object URL (a `blob:` URL: it holds the bytes, not the request). */
export function saveFile(blob: Blob, name: string): void {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 0);
}
