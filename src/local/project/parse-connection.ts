// A `.connection` datafile (Kafka, S3, GCS, DynamoDB credentials for connector data sources). No connector runs on
// the local server, as none does in Tinybird's own `tb build` without --with-connections: the file is only read for
// its name and service, so a build that sends one is accepted and can say what will not run here.
import { basename, extname } from 'node:path';

export interface Connection {
  name: string;
  /** Its TYPE line, lower-cased (`kafka`, `s3`, `gcs`, `dynamodb`...); `unknown` when it has none. */
  service: string;
}

/**
 * The name (from the file name) and service of a `.connection` file.
 *
 * @example
 * parseConnection('TYPE kafka\nKAFKA_BOOTSTRAP_SERVERS localhost:9092\n', 'events_kafka.connection')
 * // { name: 'events_kafka', service: 'kafka' }
 */
export function parseConnection(text: string, file: string): Connection {
  const type = /^TYPE\s+"?([A-Za-z0-9_]+)"?\s*$/m.exec(text)?.[1];
  return { name: basename(file, extname(file)), service: type?.toLowerCase() ?? 'unknown' };
}
