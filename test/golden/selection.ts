/**
 * Full GraphQL documents written from schema/schema.graphql, so a golden answer records every field a client can
 * ask for. Recording (GOLDEN_UPDATE=1) writes the document into the golden file; comparing sends the stored one,
 * so a field added later does not change an old golden file, and a field removed or renamed fails it.
 */
import { readFileSync } from 'node:fs';
import {
  buildSchema,
  getNamedType,
  isAbstractType,
  isInterfaceType,
  isLeafType,
  isNonNullType,
  isObjectType,
  parse,
  print,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';

const SCHEMA_FILE = new URL('../../schema/schema.graphql', import.meta.url);

let schema: GraphQLSchema | undefined;
function theSchema(): GraphQLSchema {
  schema ??= buildSchema(readFileSync(SCHEMA_FILE, 'utf8'));
  return schema;
}

/**
 * Fields a golden document leaves out: `Snapshot.current` (another test's snapshot of the same account in the
 * shared Neo4j database may be current) and `Principal.access`, an analysis per principal asked for on its own.
 */
const LEFT_OUT = new Set(['current', 'access']);
/** Policy text, selected on the entity asked for and left out where another entity names it. */
const DOCUMENTS = new Set(['document', 'trustPolicy', 'versions']);

export interface DocumentOptions {
  /** Nested fields to select although LEFT_OUT names them, with their arguments: `{ access: '(service: "s3")' }`. */
  include?: Record<string, string>;
}

/**
 * `query(<variables>) { <field>(<args>) { <every field> } }` for one Query field: each variable is declared with
 * the argument's schema type. Fields are selected to the leaves, except fields with a required argument, a type
 * already selected on the way down (which would repeat without end: a group's members' groups …), and inside an
 * entity (a type with an `arn`) another entity's object fields and documents: a user's policy is named, its
 * document is the policy's own answer. An interface or union gets `__typename` and one fragment per possible
 * type; a field two of those types type differently is aliased `<field>_<Type>`.
 */
export function fullDocument(
  field: string,
  variables: Record<string, unknown>,
  options: DocumentOptions = {},
): string {
  const s = theSchema();
  const def = s.getQueryType()!.getFields()[field];
  if (!def) throw new Error(`Query.${field} is not in schema/schema.graphql`);
  const names = Object.keys(variables);
  const declared = names.map((n) => {
    const arg = def.args.find((a) => a.name === n);
    if (!arg) throw new Error(`Query.${field} has no argument \`${n}\``);
    return `$${n}: ${String(arg.type)}`;
  });
  const ctx: Context = { schema: s, include: options.include ?? {} };
  const vars = declared.length ? `(${declared.join(', ')})` : '';
  const args = names.length ? `(${names.map((n) => `${n}: $${n}`).join(', ')})` : '';
  const text = `query${vars} { ${field}${args} ${selection(ctx, getNamedType(def.type), [])} }`;
  return print(parse(text));
}

interface Context {
  schema: GraphQLSchema;
  include: Record<string, string>;
}

const isEntity = (t: GraphQLNamedType): boolean =>
  (isObjectType(t) || isInterfaceType(t)) && 'arn' in t.getFields();

function selection(ctx: Context, type: GraphQLNamedType, path: readonly GraphQLNamedType[]): string {
  if (isLeafType(type)) return '';
  const down = [...path, type];
  if (isAbstractType(type)) {
    const possible = ctx.schema.getPossibleTypes(type).filter((t) => !path.includes(t));
    const typed = new Map<string, Set<string>>();
    for (const t of possible)
      for (const f of Object.values(t.getFields()))
        typed.set(f.name, (typed.get(f.name) ?? new Set()).add(String(f.type)));
    const parts = possible.map(
      (t) =>
        `... on ${t.name} ${objectSelection(ctx, t, [...down, t], (f) => (typed.get(f)!.size > 1 ? `${f}_${t.name}: ` : ''))}`,
    );
    return `{ __typename ${parts.join(' ')} }`;
  }
  if (!isObjectType(type)) throw new Error(`cannot select ${type.name}`);
  return objectSelection(ctx, type, down, () => '');
}

function objectSelection(
  ctx: Context,
  type: GraphQLObjectType,
  down: readonly GraphQLNamedType[],
  alias: (field: string) => string,
): string {
  const named = isEntity(type) && down.slice(0, -1).some(isEntity);
  const fields = Object.values(type.getFields()).filter((f) => {
    const t = getNamedType(f.type);
    if (LEFT_OUT.has(f.name) && !(f.name in ctx.include)) return false;
    if (f.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined)) return false;
    if (named && (DOCUMENTS.has(f.name) || !isLeafType(t))) return false;
    return isLeafType(t) || !down.includes(t);
  });
  const parts = fields.map(
    (f) =>
      `${alias(f.name)}${f.name}${ctx.include[f.name] ?? ''} ${selection(ctx, getNamedType(f.type), down)}`,
  );
  return `{ ${parts.join(' ')} }`;
}
