// The data sources that the reload and restart tests change under a running (or stopped) server.

/** `items` as first written. */
export const ITEMS = `SCHEMA >
    \`id\` Int32 \`json:$.id\`,
    \`name\` String \`json:$.name\`,
    \`amount\` String \`json:$.amount\`

ENGINE "MergeTree"
ENGINE_SORTING_KEY "id"
`;

/** `items` with wider ids, its amounts as numbers and one more column with a default: every row converts. */
export const ITEMS_V2 = `SCHEMA >
    \`id\` Int64 \`json:$.id\`,
    \`name\` String \`json:$.name\`,
    \`amount\` Int32 \`json:$.amount\`,
    \`tag\` String \`json:$.tag\` DEFAULT 'none'

ENGINE "MergeTree"
ENGINE_SORTING_KEY "id"
`;

/** A one-column data source. */
export const NOTES = 'SCHEMA >\n    `text` String `json:$.text`\n\nENGINE "MergeTree"\n';

/** `NOTES` with a sorting key ClickHouse refuses: parsed fine, refused when its table is made. */
export const REFUSED = NOTES.replace('"MergeTree"', '"MergeTree"\nENGINE_SORTING_KEY "nope"');
