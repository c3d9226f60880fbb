// The columns Tinybird adds to a data source fed by a connector. A project's sorting key, partition key or pipes use
// them (`ENGINE_PARTITION_KEY "toYYYYMM(__timestamp)"`, `ENGINE_VER "_timestamp"`) without declaring them in SCHEMA, so
// the table needs them to exist. Locally no connector runs: rows arrive through the Events API or the Data Sources API,
// and each added column takes its DEFAULT (the time the row arrived, empty text, zero).
export type Connector = 'kafka' | 'dynamodb' | 'scheduled-import';

export interface ConnectorColumn {
  name: string;
  type: string;
  default: string;
}

/** Kafka's message metadata; `__headers` only with KAFKA_STORE_HEADERS 'True'. */
const KAFKA: ConnectorColumn[] = [
  { name: '__value', type: 'String', default: "''" },
  { name: '__topic', type: 'LowCardinality(String)', default: "''" },
  { name: '__partition', type: 'Int16', default: '0' },
  { name: '__offset', type: 'Int64', default: '0' },
  { name: '__timestamp', type: 'DateTime', default: 'now()' },
  { name: '__key', type: 'String', default: "''" },
];
const KAFKA_HEADERS: ConnectorColumn = { name: '__headers', type: 'Map(String, String)', default: 'map()' };

/** DynamoDB's change-data-capture columns: the record as JSON, its previous image, when, what, and the delete flag. */
const DYNAMODB: ConnectorColumn[] = [
  { name: '_record', type: 'String', default: "''" },
  { name: '_old_record', type: 'Nullable(String)', default: 'NULL' },
  { name: '_timestamp', type: 'DateTime64(3)', default: 'now64(3)' },
  { name: '_event_type', type: 'LowCardinality(String)', default: "''" },
  { name: '_is_deleted', type: 'UInt8', default: '0' },
];

/**
 * BigQuery and Snowflake imports (IMPORT_SERVICE 'bigquery' | 'snowflake') stamp each imported row: the files `tb`
 * writes for them partition and sort by `insertion_date` without declaring it.
 */
const SCHEDULED_IMPORT: ConnectorColumn[] = [{ name: 'insertion_date', type: 'DateTime', default: 'now()' }];

/** The columns `connector` adds after the SCHEMA's own (a SCHEMA may declare some of them itself). */
export function connectorColumns(connector: Connector, options: { storeHeaders: boolean }): ConnectorColumn[] {
  if (connector === 'dynamodb') return DYNAMODB;
  if (connector === 'scheduled-import') return SCHEDULED_IMPORT;
  return options.storeHeaders ? [...KAFKA, KAFKA_HEADERS] : KAFKA;
}
