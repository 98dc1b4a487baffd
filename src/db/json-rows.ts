import { getTableColumns, type InferSelectModel } from "drizzle-orm";
import { CasingCache } from "drizzle-orm/casing";
import type { PgTable } from "drizzle-orm/pg-core";

/**
 * A row that came back as `to_jsonb(row)` (snake_case keys, timestamps as ISO
 * text), turned into the shape drizzle's own select gives: camelCase keys and
 * each value through its column's driver mapping. Lets one statement return
 * rows of several tables without losing their types.
 */
// The same snake_case naming the database clients are configured with (casing: "snake_case").
const casing = new CasingCache("snake_case");

export function rowFromJson<T extends PgTable>(table: T, json: Record<string, unknown> | null): InferSelectModel<T> | undefined {
  if (!json) return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const v = json[casing.getColumnCasing(column)];
    out[key] = v === null || v === undefined ? null : column.mapFromDriverValue(v);
  }
  return out as InferSelectModel<T>;
}
