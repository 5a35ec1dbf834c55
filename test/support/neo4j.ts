// For `*.neo4j.test.ts` files: a driver for the Neo4j the global setup started (or NEO4J_URI names).
import neo4j, { type Driver } from 'neo4j-driver';
import { inject } from 'vitest';

/** A new driver for the test run's Neo4j; close it in `afterAll`. */
export function openTestDriver(): Driver {
  return neo4j.driver(inject('neo4jUri'), neo4j.auth.basic(inject('neo4jUser'), inject('neo4jPassword')));
}

/** The connection values, e.g. to build a store or to log in with a different password. */
export function testNeo4jConnection(): { uri: string; user: string; password: string } {
  return { uri: inject('neo4jUri'), user: inject('neo4jUser'), password: inject('neo4jPassword') };
}
