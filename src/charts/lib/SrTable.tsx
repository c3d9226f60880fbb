import type { ReactNode } from 'react';

interface SrTableProps {
  caption: string;
  columns: readonly string[];
  rows: readonly (readonly string[])[];
  /** Rows past this are left out (the caption says so). */
  limit?: number;
}

/**
 * The chart's rows as a visually hidden table: what a screen reader navigates instead of the SVG. The hiding sits on a
 * wrapper: a table ignores `height` and `overflow`, so a hidden table keeps its full height and lengthens the page.
 */
export function SrTable({ caption, columns, rows, limit = 100 }: SrTableProps): ReactNode {
  return (
    <div className="rtb-sr-only">
      <table>
        <caption>
          {caption}
          {rows.length > limit ? ` (first ${limit} of ${rows.length} rows)` : ''}
        </caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.slice(0, limit).map((r, i) => (
            <tr key={i}>
              {r.map((cell, j) =>
                j === 0 ? (
                  <th key={j} scope="row">
                    {cell}
                  </th>
                ) : (
                  <td key={j}>{cell}</td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
