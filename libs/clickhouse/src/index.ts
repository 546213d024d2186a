export { createClickHouse, type ClickHouseOptions } from './create-clickhouse.js';
export { identifier, stringLiteral } from './sql.js';
export type { ClickHouseClient } from '@clickhouse/client';
