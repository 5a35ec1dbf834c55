/**
 * `accessgraph serve [bundle…]`: import the bundles (if any) and serve GraphQL at /graphql and the web UI at /.
 * Binds 127.0.0.1 unless told otherwise: the data says who can do what in an account, not for the network.
 */
import { Command, InvalidArgumentError } from 'commander';
import type { AddressInfo } from 'node:net';
import { hasErrors } from '../../engine/diagnostics.ts';
import { chooseStore, openStore } from '../../app/store-config.ts';
import { CliError, EXIT_BAD_INPUT, createOutput } from '../output.ts';
import {
  addStoreOptions,
  allDiagnostics,
  describeOutcome,
  loadBundles,
  progressReporter,
  type StoreOptions,
} from './shared.ts';

interface ServeFlags extends StoreOptions {
  port: number;
  host: string;
  label?: string;
  webDist?: string;
  json?: boolean;
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('must be an integer from 0 to 65535');
  return n;
}

export function serveCommand(): Command {
  const cmd = new Command('serve')
    .description(
      'serve GraphQL (/graphql, with GraphiQL) and the web UI (/) over the embedded store or Neo4j',
    )
    .argument('[bundle...]', 'bundles to import at start (into the embedded store unless --neo4j-uri)')
    .option('--port <port>', 'port to listen on (0: any free port)', parsePort, 4000)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--label <label>', 'snapshot label (default: the bundle directory name)')
    .option('--web-dist <dir>', 'directory of the built web UI (default: web/dist)')
    .option('--json', 'print one JSON line with the URL and snapshots once listening');
  addStoreOptions(cmd);
  cmd.addHelpText('after', '\nExample: accessgraph serve examples/demo --port 4000');
  return cmd.action(async (bundles: string[], flags: ServeFlags) => {
    const out = createOutput(flags.json === true);
    const choice = chooseStore(flags);
    const store = await openStore(choice);
    const progress = progressReporter(!out.json && process.stderr.isTTY === true);
    let outcomes;
    try {
      outcomes = await loadBundles(store, bundles, {
        ...(flags.label ? { label: flags.label } : {}),
        onProgress: progress.onProgress,
      });
    } catch (e) {
      await store.close();
      throw e;
    } finally {
      progress.stop();
    }
    const diagnostics = allDiagnostics(outcomes);
    out.diagnostics(diagnostics);
    if (hasErrors(diagnostics)) {
      await store.close();
      out.result({
        ok: false,
        bundles: outcomes.map((o) => ({ bundle: o.bundle, valid: o.valid, diagnostics: o.diagnostics })),
      });
      process.exitCode = EXIT_BAD_INPUT;
      return;
    }

    // The HTTP server loads GraphQL (Yoga, the schema): about a second, paid only by `serve` itself.
    const { createHttpServer } = await import('../../app/http.ts');
    const server = createHttpServer({ store, ...(flags.webDist ? { webDist: flags.webDist } : {}) });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) =>
        reject(
          e.code === 'EADDRINUSE'
            ? new CliError(
                `port ${flags.port} on ${flags.host} is already in use`,
                1,
                'pick another with --port, or --port 0 for any free one',
              )
            : e,
        ),
      );
      server.listen(flags.port, flags.host, () => resolve());
    }).catch(async (e) => {
      await store.close();
      throw e;
    });
    const address = server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const url = `http://${host}:${address.port}/graphql`;

    const loaded = outcomes.filter((o) => o.snapshot);
    const current = loaded.length === 0 ? await store.currentSnapshot() : undefined;
    const what =
      loaded.length > 0
        ? loaded.map(describeOutcome).join(', ')
        : current
          ? `${current.label} (${current.accountId})`
          : 'an empty store (pass a bundle, e.g. `accessgraph serve examples/demo`)';
    out.info(`accessgraph serving ${what} at ${url}`);
    out.info(`web UI at ${url.replace(/graphql$/, '')} (GraphiQL with example queries at /graphql)`);
    out.info(
      `store: ${choice.kind === 'neo4j' ? `Neo4j at ${choice.uri}` : 'embedded (in memory)'}; press Ctrl-C to stop`,
    );
    if (out.json) {
      process.stdout.write(
        JSON.stringify({
          ok: true,
          url,
          store: choice.kind,
          snapshots: (await store.listSnapshots()).map((s) => ({
            id: s.id,
            accountId: s.accountId,
            label: s.label,
            counts: s.counts,
          })),
        }) + '\n',
      );
    }

    const stop = (): void => {
      server.close();
      server.closeAllConnections();
      void store.close().finally(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
