import { readFileSync } from "node:fs";
import path from "node:path";
import { get_dmmf } from "@prisma/prisma-schema-wasm";
import type { SqlConnection } from "../../lib/db/sql";

// Describes a database schema in comparable terms: what `schema.prisma` declares (through Prisma's
// own schema parser) and what a migrated database actually has (through the catalog). Used by the
// drift test to prove the hand-applied migrations equal the schema.

export type SchemaShape = {
  tables: Record<string, Record<string, { type: string; nullable: boolean }>>;
  enums: Record<string, string[]>;
  indexes: Record<string, { table: string; columns: string[]; unique: boolean; primary: boolean }>;
  foreignKeys: Record<
    string,
    { table: string; columns: string[]; refTable: string; refColumns: string[]; onDelete: string }
  >;
};

type DmmfField = {
  name: string;
  dbName?: string | null;
  kind: "scalar" | "object" | "enum" | "unsupported";
  type: string;
  isList: boolean;
  isRequired: boolean;
  nativeType?: [string, string[]] | null;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
};
type DmmfModel = { name: string; dbName: string | null; fields: DmmfField[] };
type DmmfIndex = {
  model: string;
  type: "id" | "unique" | "normal" | "fulltext";
  dbName?: string | null;
  fields: { name: string }[];
};
type Dmmf = {
  datamodel: { models: DmmfModel[]; enums: { name: string; values: { name: string }[] }[]; indexes: DmmfIndex[] };
};

const SCALAR_TYPES: Record<string, string> = {
  String: "text",
  Boolean: "boolean",
  Int: "integer",
  BigInt: "bigint",
  Float: "double precision",
  Decimal: "numeric(65,30)",
  DateTime: "timestamp(3)",
  Json: "jsonb",
  Bytes: "bytea",
};

const NATIVE_TYPES: Record<string, (args: string[]) => string> = {
  Uuid: () => "uuid",
  Text: () => "text",
  VarChar: (a) => (a[0] ? `varchar(${a[0]})` : "varchar"),
  Timestamptz: (a) => `timestamptz(${a[0] ?? 6})`,
  Timestamp: (a) => `timestamp(${a[0] ?? 6})`,
  Integer: () => "integer",
  BigInt: () => "bigint",
};

const ON_DELETE: Record<string, string> = {
  Cascade: "cascade",
  Restrict: "restrict",
  NoAction: "no action",
  SetNull: "set null",
  SetDefault: "set default",
};

export function expectedSchema(schemaPath = path.join(process.cwd(), "prisma", "schema.prisma")): SchemaShape {
  const schema = readFileSync(schemaPath, "utf8");
  const dmmf = JSON.parse(get_dmmf(JSON.stringify({ prismaSchema: [[schemaPath, schema]] }))) as Dmmf;
  const { models, enums, indexes } = dmmf.datamodel;
  const tableOf = new Map(models.map((m) => [m.name, m.dbName ?? m.name]));
  const columnOf = (model: string, field: string) => {
    const f = models.find((m) => m.name === model)?.fields.find((x) => x.name === field);
    return f?.dbName ?? field;
  };
  const shape: SchemaShape = { tables: {}, enums: {}, indexes: {}, foreignKeys: {} };

  for (const e of enums) shape.enums[e.name] = e.values.map((v) => v.name);

  for (const model of models) {
    const table = tableOf.get(model.name)!;
    const columns: SchemaShape["tables"][string] = {};
    for (const field of model.fields) {
      if (field.kind === "object") {
        if (field.relationFromFields?.length) {
          const refModel = models.find((m) => m.name === field.type)!;
          const from = field.relationFromFields.map((f) => columnOf(model.name, f));
          const optional = field.relationFromFields.some((f) => !model.fields.find((x) => x.name === f)?.isRequired);
          shape.foreignKeys[`${table}_${from.join("_")}_fkey`] = {
            table,
            columns: from,
            refTable: tableOf.get(refModel.name)!,
            refColumns: (field.relationToFields ?? []).map((f) => columnOf(refModel.name, f)),
            onDelete: ON_DELETE[field.relationOnDelete ?? (optional ? "SetNull" : "Restrict")]!,
          };
        }
        continue;
      }
      let type: string;
      if (field.kind === "enum") type = `enum ${field.type}`;
      else if (field.nativeType) {
        const native = NATIVE_TYPES[field.nativeType[0]];
        if (!native)
          throw new Error(`drift: no mapping for native type @db.${field.nativeType[0]} (add it to NATIVE_TYPES)`);
        type = native(field.nativeType[1]);
      } else {
        const scalar = SCALAR_TYPES[field.type];
        if (!scalar) throw new Error(`drift: no mapping for scalar type ${field.type}`);
        type = scalar;
      }
      columns[field.dbName ?? field.name] = {
        type: field.isList ? `${type}[]` : type,
        nullable: !field.isRequired && !field.isList,
      };
    }
    shape.tables[table] = columns;
  }

  for (const index of indexes) {
    const table = tableOf.get(index.model)!;
    const cols = index.fields.map((f) => columnOf(index.model, f.name));
    const suffix = index.type === "id" ? "pkey" : index.type === "unique" ? "key" : "idx";
    const name = index.dbName ?? (index.type === "id" ? `${table}_pkey` : `${table}_${cols.join("_")}_${suffix}`);
    shape.indexes[name] = { table, columns: cols, unique: index.type !== "normal", primary: index.type === "id" };
  }
  return shape;
}

const CONFDELTYPE: Record<string, string> = {
  c: "cascade",
  r: "restrict",
  a: "no action",
  n: "set null",
  d: "set default",
};

function jsonArray(value: unknown): string[] {
  return (typeof value === "string" ? JSON.parse(value) : value) as string[];
}

export async function actualSchema(conn: SqlConnection): Promise<SchemaShape> {
  const shape: SchemaShape = { tables: {}, enums: {}, indexes: {}, foreignKeys: {} };
  const ignored = new Set(["_prisma_migrations"]);

  const columns = await conn.query<{ table_name: string; column_name: string; type: string; is_nullable: string }>(`
    SELECT c.relname AS table_name, a.attname AS column_name, a.attnotnull = false AS nullable_flag,
           CASE WHEN t.typtype = 'e' THEN 'enum ' || t.typname
                WHEN et.typtype = 'e' THEN 'enum ' || et.typname || '[]'
                ELSE format_type(a.atttypid, a.atttypmod) END AS type,
           CASE WHEN a.attnotnull THEN 'NO' ELSE 'YES' END AS is_nullable
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid AND c.relkind = 'r'
    JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
    JOIN pg_type t ON t.oid = a.atttypid
    LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
    WHERE a.attnum > 0 AND NOT a.attisdropped`);
  for (const c of columns) {
    if (ignored.has(c.table_name)) continue;
    const type = c.type
      .replace(/^timestamp\((\d)\) without time zone/, "timestamp($1)")
      .replace(/^timestamp\((\d)\) with time zone/, "timestamptz($1)")
      .replace(/^character varying/, "varchar");
    (shape.tables[c.table_name] ??= {})[c.column_name] = { type, nullable: c.is_nullable === "YES" };
  }

  const enums = await conn.query<{ name: string; label: string }>(`
    SELECT t.typname AS name, e.enumlabel AS label FROM pg_type t
    JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace AND n.nspname = current_schema()
    ORDER BY t.typname, e.enumsortorder`);
  for (const e of enums) (shape.enums[e.name] ??= []).push(e.label);

  const indexes = await conn.query<{
    name: string;
    table_name: string;
    is_unique: boolean;
    is_primary: boolean;
    columns: unknown;
  }>(`
    SELECT i.relname AS name, t.relname AS table_name, ix.indisunique AS is_unique, ix.indisprimary AS is_primary,
           array_to_json(ARRAY(SELECT a.attname FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, ord)
                               JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord)) AS columns
    FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = current_schema()
    -- Expression indexes, partial indexes and B-tree indexes with a non-default operator class
    -- (text_pattern_ops prefix-search indexes) cannot be declared in schema.prisma; the migrations
    -- own them and the tests of the queries they serve check that they exist.
    WHERE ix.indexprs IS NULL AND ix.indpred IS NULL
      AND NOT EXISTS (SELECT 1 FROM unnest(ix.indclass::oid[]) c(oid) JOIN pg_opclass oc ON oc.oid = c.oid
                      JOIN pg_am am ON am.oid = oc.opcmethod WHERE am.amname = 'btree' AND NOT oc.opcdefault)`);
  for (const i of indexes) {
    if (ignored.has(i.table_name)) continue;
    shape.indexes[i.name] = {
      table: i.table_name,
      columns: jsonArray(i.columns),
      unique: i.is_unique,
      primary: i.is_primary,
    };
  }

  const fks = await conn.query<{
    name: string;
    table_name: string;
    ref_table: string;
    on_delete: string;
    columns: unknown;
    ref_columns: unknown;
  }>(`
    SELECT con.conname AS name, cl.relname AS table_name, ref.relname AS ref_table, con.confdeltype AS on_delete,
           array_to_json(ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
                               JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.ord)) AS columns,
           array_to_json(ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
                               JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.ord)) AS ref_columns
    FROM pg_constraint con JOIN pg_class cl ON cl.oid = con.conrelid JOIN pg_class ref ON ref.oid = con.confrelid
    JOIN pg_namespace n ON n.oid = cl.relnamespace AND n.nspname = current_schema()
    WHERE con.contype = 'f'`);
  for (const fk of fks) {
    shape.foreignKeys[fk.name] = {
      table: fk.table_name,
      columns: jsonArray(fk.columns),
      refTable: fk.ref_table,
      refColumns: jsonArray(fk.ref_columns),
      onDelete: CONFDELTYPE[fk.on_delete] ?? fk.on_delete,
    };
  }
  return shape;
}
