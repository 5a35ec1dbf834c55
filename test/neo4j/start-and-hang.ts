// Child process for launcher.neo4j.test.ts: starts Neo4j on DATA_DIR with PASSWORD, prints the JVM's pid and
// Bolt URI, then waits to be killed (never stopping Neo4j itself), so the test can check the JVM dies with its
// parent.
import { SHORT_LIVED_JVM_ARGS, startNeo4j } from '../../scripts/neo4j/launcher.ts';

const [dataDir, password] = process.argv.slice(2);
if (!dataDir || !password) throw new Error('usage: start-and-hang.ts DATA_DIR PASSWORD');
const neo = await startNeo4j({ dataDir, password, jvmArgs: SHORT_LIVED_JVM_ARGS, log: () => {} });
process.stdout.write(`jvm-pid ${neo.pid} ${neo.uri}\n`);
setInterval(() => {}, 60_000);
