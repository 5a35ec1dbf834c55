// Child process for launcher.neo4j.test.ts: starts Neo4j, prints the JVM's pid, then waits to be killed
// (never stopping Neo4j itself), so the test can check the JVM dies with its parent.
import { SHORT_LIVED_JVM_ARGS, startNeo4j } from '../../scripts/neo4j/launcher.ts';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: start-and-hang.ts DATA_DIR');
const neo = await startNeo4j({ dataDir, jvmArgs: SHORT_LIVED_JVM_ARGS, log: () => {} });
process.stdout.write(`jvm-pid ${neo.pid}\n`);
setInterval(() => {}, 60_000);
