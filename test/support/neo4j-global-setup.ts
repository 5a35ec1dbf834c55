// Global setup of the `neo4j` test project (vitest.config.ts): one Neo4j for the whole run, never one per
// worker. With NEO4J_URI set, tests use that server (NEO4J_USER / NEO4J_PASSWORD); otherwise a fresh Neo4j is
// started on a free port with a temporary store and a generated password, and removed at teardown.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import neo4j from 'neo4j-driver';
import type { TestProject } from 'vitest/node';
import { SHORT_LIVED_JVM_ARGS, startNeo4j } from '../../scripts/neo4j/launcher.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    neo4jUri: string;
    neo4jUser: string;
    neo4jPassword: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.NEO4J_URI;
  if (external) {
    const user = process.env.NEO4J_USER ?? 'neo4j';
    const password = process.env.NEO4J_PASSWORD ?? '';
    // Fail once here with the cause, rather than in every test file.
    const driver = neo4j.driver(external, neo4j.auth.basic(user, password));
    try {
      await driver.verifyConnectivity();
    } catch (err) {
      throw new Error(`NEO4J_URI=${external} is set but not reachable as user \`${user}\`: ${String(err)}`, {
        cause: err,
      });
    } finally {
      await driver.close();
    }
    provide(project, external, user, password);
    return async () => {};
  }

  const dataDir = await mkdtemp(join(tmpdir(), 'accessgraph-neo4j-test-'));
  // Heap and page cache stay small: CI has 2 cores and the tests hold little data.
  const neo = await startNeo4j({
    dataDir,
    heap: '1g',
    pageCache: '256m',
    jvmArgs: SHORT_LIVED_JVM_ARGS,
  }).catch(async (err: unknown) => {
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  });
  provide(project, neo.uri, neo.user, neo.password);
  return async () => {
    await neo.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}

function provide(project: TestProject, uri: string, user: string, password: string): void {
  project.provide('neo4jUri', uri);
  project.provide('neo4jUser', user);
  project.provide('neo4jPassword', password);
}
