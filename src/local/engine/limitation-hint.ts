// ClickHouse errors that come from this local server's ClickHouse being newer than Tinybird's, not from a mistake in
// the project: the message then says so, and what to write instead, so nobody hunts for a typo that is not there.

const LIMITATIONS: Array<{ match: RegExp; hint: string }> = [
  {
    // 25.x and later refuse to sort by an AggregateFunction state (no setting lets it through); Tinybird's accepts it.
    match: /AggregateFunction\(.*is not allowed in ORDER BY keys/,
    hint: "this local server's ClickHouse cannot sort by an aggregate state, which Tinybird's ClickHouse accepts: sort by finalizeAggregation(<column>) or by the -Merge of the state instead",
  },
];

/**
 * `message` (a cleaned ClickHouse error) with a note when it is a known limitation of the local server's ClickHouse.
 *
 * @example
 * limitationHint('Data type AggregateFunction(sum, Int64) is not allowed in ORDER BY keys')
 * // '... (this local server's ClickHouse cannot sort by an aggregate state, ...)'
 */
export function limitationHint(message: string): string {
  const known = LIMITATIONS.find(({ match }) => match.test(message));
  return known ? `${message} (${known.hint})` : message;
}
