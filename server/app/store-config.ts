/**
 * Which store to use: Neo4j when a URI is given (flag, else NEO4J_URI), else the persistent embedded store in
 * the data directory (flag, else ACCESSGRAPH_DATA_DIR, else the platform's data directory). Each store module is
 * imported only when asked for, so `--help` loads neither the Neo4j driver nor LMDB.
 */
import { readFileSync, renameSync } from 'node:fs';
import envPaths from 'env-paths';
import type { CatalogData } from '../engine/catalog.ts';
import type { EmbeddedStore } from '../graph/embedded/embedded-store.ts';
import type { GraphStore } from '../graph/store.ts';

export interface StoreFlags {
  dataDir?: string;
  neo4jUri?: string;
  neo4jUser?: string;
  /** A file holding the password (its trailing newline dropped); passwords are never taken from argv. */
  neo4jPasswordFile?: string;
  neo4jDatabase?: string;
}

export type StoreChoice =
  | { kind: 'embedded'; dataDir: string }
  | { kind: 'neo4j'; uri: string; user: string; password: string; database?: string };

export const DATA_DIR_ENV = 'ACCESSGRAPH_DATA_DIR';

/** `--data-dir`, else ACCESSGRAPH_DATA_DIR, else the platform's (Linux: ~/.local/share/accessgraph). */
export function dataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? (env[DATA_DIR_ENV] || envPaths('accessgraph', { suffix: '' }).data);
}

/** Flags win over the environment (NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE). */
export function chooseStore(flags: StoreFlags, env: NodeJS.ProcessEnv = process.env): StoreChoice {
  const uri = flags.neo4jUri ?? (env.NEO4J_URI || undefined);
  if (!uri) return { kind: 'embedded', dataDir: dataDir(flags.dataDir, env) };
  const database = flags.neo4jDatabase ?? (env.NEO4J_DATABASE || undefined);
  return {
    kind: 'neo4j',
    uri,
    user: flags.neo4jUser ?? env.NEO4J_USER ?? 'neo4j',
    password: flags.neo4jPasswordFile
      ? readFileSync(flags.neo4jPasswordFile, 'utf8').replace(/\r?\n$/, '')
      : (env.NEO4J_PASSWORD ?? ''),
    ...(database ? { database } : {}),
  };
}

/** Where a store is, for messages: `Neo4j at bolt://…` or the embedded store's file. */
export function describeStore(store: GraphStore, choice: StoreChoice): string {
  return choice.kind === 'neo4j'
    ? `Neo4j at ${choice.uri}`
    : `embedded store ${'file' in store ? String(store.file) : choice.dataDir}`;
}

/**
 * The embedded store keeps the action catalog too, once per iam-data version: later processes read it from there
 * instead of iam-data's hundreds of files. A cache that fails is a miss, never an error.
 */
async function keepCatalogIn(store: EmbeddedStore): Promise<EmbeddedStore> {
  const { useCatalogCache } = await import('../engine/catalog.ts');
  const key = (version: string): string => `action-catalog/${version}`;
  useCatalogCache({
    get: async (version) => (await store.readCache(key(version)).catch(() => undefined)) as CatalogData,
    put: async (data) => store.writeCache(key(data.version), data).catch(() => undefined),
  });
  return store;
}

/**
 * Opens the chosen store. An embedded store file that is truncated, unreadable or of another format version is
 * moved aside (never deleted: it may be the only copy of something) and a new one started; `warn` is told so in
 * one line naming both files.
 */
export async function openStore(
  choice: StoreChoice,
  warn: (line: string) => void = (line) => process.stderr.write(`warning: ${line}\n`),
): Promise<GraphStore> {
  if (choice.kind === 'embedded') {
    const { openEmbeddedStore, StoreDamagedError } = await import('../graph/embedded/embedded-store.ts');
    try {
      return await keepCatalogIn(openEmbeddedStore(choice.dataDir));
    } catch (e) {
      if (!(e instanceof StoreDamagedError)) throw e;
      const aside = `${e.file}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      renameSync(e.file, aside);
      try {
        renameSync(`${e.file}-lock`, `${aside}-lock`);
      } catch {
        // No lock file: nothing else to move.
      }
      warn(
        `${e.message}; moved it to ${aside} and started a new store (import your bundles again; ` +
          'delete the moved file once you no longer need it)',
      );
      return keepCatalogIn(openEmbeddedStore(choice.dataDir));
    }
  }
  const { createNeo4jStore } = await import('../graph/neo4j/neo4j-store.ts');
  return createNeo4jStore({
    uri: choice.uri,
    user: choice.user,
    password: choice.password,
    ...(choice.database ? { database: choice.database } : {}),
  });
}
