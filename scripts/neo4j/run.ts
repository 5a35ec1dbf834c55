// `npm run neo4j`: a persistent local Neo4j for accessgraph, without Docker. Stops on Ctrl-C.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Neo4jStartError, startNeo4j } from './launcher.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DEFAULT_PASSWORD = 'accessgraph';

const help = `usage: npm run neo4j -- [--port N] [--data-dir DIR] [--no-auth] [--heap SIZE] [--page-cache SIZE]

Starts Neo4j Community 5.26 (embedded in a small Java launcher; needs Java 17 and Maven, no Docker) on
127.0.0.1 and keeps it running until Ctrl-C. The first start builds the launcher with Maven, which downloads
~150 MB of Neo4j jars into ~/.m2.

options:
  --port N          Bolt port (default: $NEO4J_PORT or 7687)
  --data-dir DIR    Neo4j home: store and logs (default: .data/neo4j in the repository)
  --no-auth         disable authentication (default: enabled, user neo4j)
  --heap SIZE       JVM heap, -Xmx syntax (default: 1g)
  --page-cache SIZE Neo4j page cache (default: 512m)
  -h, --help        this text

environment:
  NEO4J_PORT        Bolt port when --port is not given
  NEO4J_PASSWORD    password of the neo4j user (default: ${DEFAULT_PASSWORD}); set on every start
`;

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        'no-auth': { type: 'boolean', default: false },
        heap: { type: 'string' },
        'page-cache': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${help}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(help);
    return 0;
  }
  const portText = values.port ?? process.env.NEO4J_PORT ?? '7687';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    process.stderr.write(`\`--port\` must be a port number 1..65535, got \`${portText}\`\n`);
    return 2;
  }
  const authEnabled = !values['no-auth'];
  const password = process.env.NEO4J_PASSWORD ?? DEFAULT_PASSWORD;

  let neo;
  try {
    neo = await startNeo4j({
      port,
      dataDir: values['data-dir'] ?? join(repoRoot, '.data', 'neo4j'),
      authEnabled,
      password,
      heap: values.heap ?? '1g',
      pageCache: values['page-cache'] ?? '512m',
    });
  } catch (err) {
    if (err instanceof Neo4jStartError) {
      process.stderr.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  }

  const env = authEnabled
    ? `NEO4J_URI=${neo.uri} NEO4J_USER=${neo.user} NEO4J_PASSWORD=${neo.password}`
    : `NEO4J_URI=${neo.uri}`;
  process.stdout.write(
    `Neo4j is running. Point accessgraph at it with:\n\n  export ${env}\n\nCtrl-C stops it.\n`,
  );

  await new Promise<void>((res) => {
    process.once('SIGINT', res);
    process.once('SIGTERM', res);
  });
  process.stdout.write('stopping Neo4j…\n');
  await neo.stop();
  return 0;
}

process.exitCode = await main();
