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
  for (const { key, jsonKey, column } of fieldsOf(table)) {
    const v = json[jsonKey];
    out[key] = v === null || v === undefined ? null : column.mapFromDriverValue(v);
  }
  return out as InferSelectModel<T>;
}

type Field = { key: string; jsonKey: string; column: ReturnType<typeof getTableColumns>[string] };
/** Each table's fields, worked out once: this runs several times per command. */
const fields = new WeakMap<PgTable, Field[]>();

function fieldsOf(table: PgTable): Field[] {
  let f = fields.get(table);
  if (!f) {
    f = Object.entries(getTableColumns(table)).map(([key, column]) => ({ key, jsonKey: casing.getColumnCasing(column), column }));
    fields.set(table, f);
  }
  return f;
}
