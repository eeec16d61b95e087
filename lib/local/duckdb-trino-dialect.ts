// What DuckDB needs to answer our Trino (Athena engine v3) SQL the way Athena does. Our queries use
// only syntax both engines share (CAST, INTERVAL 'n' MONTH, ROUND, NULLIF, CTEs), so the shim is a
// set of session settings for the places where the same text means different things, plus the
// Trino functions DuckDB names differently.
import type { DuckDBConnection } from '@duckdb/node-api';

export const TRINO_SESSION_SETTINGS: readonly string[] = [
  // Trino divides integers as integers (7 / 2 = 3, -7 / 2 = -3); DuckDB's `/` would give 3.5.
  'SET integer_division = true',
  // Trino sorts NULLs last whatever the direction; pin DuckDB to the same rather than rely on its default.
  "SET default_null_order = 'nulls_last'",
  // Trino's regexp_like(text, pattern) is DuckDB's regexp_matches (both: a match anywhere, RE2-style
  // syntax for the anchored patterns we use). A temporary macro lives per connection, like the settings.
  'CREATE OR REPLACE TEMP MACRO regexp_like(text, pattern) AS regexp_matches(text, pattern)',
];

/** Applies the settings to a connection; they are per session, so every new connection needs them. */
export async function applyTrinoDialect(connection: DuckDBConnection): Promise<void> {
  for (const statement of TRINO_SESSION_SETTINGS) await connection.run(statement);
}
