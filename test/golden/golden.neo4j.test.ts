/**
 * Every public answer on Neo4j equals the golden files under answers/, the same files the embedded store is held
 * to (golden.test.ts; README.md beside this file).
 */
import { createNeo4jStore } from '../../server/graph/neo4j/neo4j-store.ts';
import { passwordFile } from '../cli/run-cli.ts';
import { testNeo4jConnection } from '../support/neo4j.ts';
import { describeGoldenAnswers } from './golden.ts';

describeGoldenAnswers({
  flags: () => {
    const { uri, user, password } = testNeo4jConnection();
    return ['--neo4j-uri', uri, '--neo4j-user', user, '--neo4j-password-file', passwordFile(password)];
  },
  open: () => createNeo4jStore(testNeo4jConnection()),
  // With Neo4j, `diff` takes the ids of stored snapshots.
  diffArgs: (_bundles, ids) => ids,
  close: async (store, ids) => {
    // The database is shared by the run's other test files: remove only this run's snapshots.
    for (const id of ids) await store.deleteSnapshot(id);
    await store.close();
  },
  // `eval` reads no store: golden.test.ts holds it to its files.
  storeless: false,
});
