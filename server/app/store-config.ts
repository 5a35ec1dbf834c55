/**
 * Which store to use: Neo4j when a URI is given (flag, else NEO4J_URI), else the embedded memory store.
 * The Neo4j module is imported only when asked for, so the embedded path never loads the driver.
 */
import { readFileSync } from 'node:fs';
import { createMemoryStore } from '../graph/memory/memory-store.ts';
import type { GraphStore } from '../graph/store.ts';

export interface StoreFlags {
  neo4jUri?: string;
  neo4jUser?: string;
  /** A file holding the password (its trailing newline dropped); passwords are never taken from argv. */
  neo4jPasswordFile?: string;
  neo4jDatabase?: string;
}

export interface StoreChoice {
  kind: 'memory' | 'neo4j';
  uri?: string;
  user?: string;
  password?: string;
  database?: string;
}

/** Flags win over the environment (NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE). */
export function chooseStore(flags: StoreFlags, env: NodeJS.ProcessEnv = process.env): StoreChoice {
  const uri = flags.neo4jUri ?? (env.NEO4J_URI || undefined);
  if (!uri) return { kind: 'memory' };
  return {
    kind: 'neo4j',
    uri,
    user: flags.neo4jUser ?? env.NEO4J_USER ?? 'neo4j',
    password: flags.neo4jPasswordFile
      ? readFileSync(flags.neo4jPasswordFile, 'utf8').replace(/\r?\n$/, '')
      : (env.NEO4J_PASSWORD ?? ''),
    database: flags.neo4jDatabase ?? (env.NEO4J_DATABASE || undefined),
  };
}

export async function openStore(choice: StoreChoice): Promise<GraphStore> {
  if (choice.kind === 'memory') return createMemoryStore();
  const { createNeo4jStore } = await import('../graph/neo4j/neo4j-store.ts');
  return createNeo4jStore({
    uri: choice.uri as string,
    user: choice.user ?? 'neo4j',
    password: choice.password ?? '',
    ...(choice.database ? { database: choice.database } : {}),
  });
}
