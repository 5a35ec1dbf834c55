/**
 * `accessgraph serve [bundle…]`: import the bundles (if any) and serve GraphQL at /graphql and the web UI at /.
 * Binds 127.0.0.1 unless told otherwise: the data says who can do what in an account, not for the network.
 * Another address needs a bearer token (serve-token.ts); the README's "Security of the server" has the rest.
 */
import { Command, InvalidArgumentError } from 'commander';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hasErrors } from '../../../schema/diagnostics.ts';
import {
  DEFAULT_LIMITS,
  DEFAULT_OPEN_ANALYSES,
  DEFAULT_TIME_BUDGET_MS,
  DEFAULT_WORKERS,
  type QueryLimits,
} from '../../api/limit-defaults.ts';
import { DEFAULT_MAX_BODY_MIB, isLoopback } from '../../app/request-guard.ts';
import { chooseStore, describeStore, openStore } from '../../app/store-config.ts';
import type { SnapshotReader } from '../../graph/store.ts';
import { CliError, EXIT_BAD_INPUT, createOutput } from '../output.ts';
import type { Limits } from '../../../importers/limits.ts';
import { TOKEN_ENV, resolveToken } from './serve-token.ts';
import {
  addLimitsOption,
  addStoreOptions,
  allDiagnostics,
  describeOutcome,
  loadBundles,
  progressReporter,
  type StoreOptions,
} from './shared.ts';

interface ServeFlags extends StoreOptions, QueryLimits {
  port: number;
  workers: number;
  host: string;
  allowHost: string[];
  tokenFile?: string;
  generateToken?: boolean;
  timeBudget: number;
  maxBody: number;
  openAnalyses: number;
  label?: string;
  webDist?: string;
  json?: boolean;
  limits?: Limits;
}

/** How long a stop waits for the store to close before the process exits anyway. */
const STOP_GRACE_MS = 2000;

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('must be an integer from 0 to 65535');
  return n;
}

function parsePositive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a number above 0');
  return n;
}

function parseWorkers(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be an integer from 0');
  return n;
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be an integer from 1');
  return n;
}

/**
 * SIGINT/SIGTERM close the server and the store, then exit 0 (at most `STOP_GRACE_MS` later). A JavaScript
 * handler only runs when the event loop is free, and a request may hold it for long: while any request is in
 * flight no handler is installed, so the signal's default action ends the process at once (the server only
 * reads: nothing is lost).
 */
function stopOnSignals(server: Server, store: SnapshotReader & { close(): Promise<void> }): void {
  let stopping = false;
  let inFlight = 0;
  const listen = (on: boolean): void => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const)
      if (on) process.on(signal, stop);
      else process.off(signal, stop);
  };
  // A second signal meets no handler: it ends the process at once.
  function stop(): void {
    stopping = true;
    listen(false);
    setTimeout(() => process.exit(0), STOP_GRACE_MS).unref();
    server.close();
    server.closeAllConnections();
    void store.close().finally(() => process.exit(0));
  }
  server.on('request', (_req, res) => {
    if (inFlight++ === 0) listen(false);
    // Done when the response is handed to the socket ('finish': before the client can have read it, so a
    // signal sent after an answer meets the handler) or the connection ends without it ('close').
    let done = false;
    const end = (): void => {
      if (done) return;
      done = true;
      if (--inFlight === 0 && !stopping) listen(true);
    };
    res.once('finish', end);
    res.once('close', end);
  });
  listen(true);
}

export function serveCommand(): Command {
  const cmd = new Command('serve')
    .description(
      'serve GraphQL (/graphql, with GraphiQL) and the web UI (/) over the embedded store or Neo4j',
    )
    .argument(
      '[bundle...]',
      'bundles to import at start (an unchanged one the store holds is reused); none: serve what is stored',
    )
    .option('--port <port>', 'port to listen on (0: any free port)', parsePort, 4000)
    .option(
      '--host <host>',
      'address to bind; other than loopback it needs a token (--generate-token, --token-file)',
      '127.0.0.1',
    )
    .option(
      '--allow-host <name>',
      'accept this name in the Host header too, e.g. the DNS name users open (repeatable)',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option('--token-file <file>', `require the bearer token read from this file (or set ${TOKEN_ENV})`)
    .option('--generate-token', 'require a bearer token generated now and printed once, in the UI link')
    .option(
      '--max-cost <n>',
      'largest query cost (an analysis costs 1000)',
      parseCount,
      DEFAULT_LIMITS.maxCost,
    )
    .option('--max-aliases <n>', 'most aliased fields in one query', parseCount, DEFAULT_LIMITS.maxAliases)
    .option('--max-depth <n>', 'deepest nesting of a query', parseCount, DEFAULT_LIMITS.maxDepth)
    .option('--max-tokens <n>', 'most tokens in one query document', parseCount, DEFAULT_LIMITS.maxTokens)
    .option(
      '--max-body <MiB>',
      'largest GraphQL request body (a Terraform plan sent for what-if)',
      parsePositive,
      DEFAULT_MAX_BODY_MIB,
    )
    .option(
      '--time-budget <seconds>',
      'time one GraphQL request may run',
      parsePositive,
      DEFAULT_TIME_BUDGET_MS / 1000,
    )
    .option(
      '--workers <n>',
      'worker threads running analyses (whoCan, whatIf, …) off the main thread; 0: all on the main thread',
      parseWorkers,
      DEFAULT_WORKERS,
    )
    .option(
      '--open-analyses <n>',
      'snapshots kept open for analysis (index, compiled policies, escalation graph), least recently used closed',
      parseCount,
      DEFAULT_OPEN_ANALYSES,
    )
    .option('--label <label>', 'snapshot label (default: the bundle directory name)')
    .option('--web-dist <dir>', 'directory of the built web UI (default: web/dist)')
    .option('--json', 'print one JSON line with the URL and snapshots once listening');
  addLimitsOption(cmd);
  addStoreOptions(cmd);
  cmd.addHelpText(
    'after',
    '\nExamples:\n  accessgraph serve examples/demo --port 4000\n' +
      '  accessgraph serve examples/demo --host 0.0.0.0 --generate-token   # reachable from the network',
  );
  return cmd.action(async (bundles: string[], flags: ServeFlags) => {
    const out = createOutput(flags.json === true);
    const token = resolveToken({
      ...(flags.tokenFile !== undefined ? { tokenFile: flags.tokenFile } : {}),
      ...(flags.generateToken ? { generateToken: true } : {}),
      ...(process.env[TOKEN_ENV] !== undefined ? { env: process.env[TOKEN_ENV] } : {}),
    });
    if (!token && !isLoopback(flags.host))
      throw new CliError(
        `--host ${flags.host} would serve the account's access graph to the network without authentication`,
        EXIT_BAD_INPUT,
        `add --generate-token (or --token-file FILE, or ${TOKEN_ENV}), or bind 127.0.0.1`,
      );
    if (token?.warning) process.stderr.write(`warning: ${token.warning}\n`);
    const choice = chooseStore(flags);
    const store = await openStore(choice);
    const progress = await progressReporter(!out.json && process.stderr.isTTY === true);
    let outcomes;
    try {
      outcomes = await loadBundles(store, bundles, {
        ...(flags.label ? { label: flags.label } : {}),
        ...(flags.limits ? { limits: flags.limits } : {}),
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

    // Unless NODE_ENV says otherwise, graphql-js checks each type test against a second copy of itself (about
    // half of executing a large answer); the server loads one copy (server/api/graphql-runtime.ts). The execution
    // workers read the environment when they start.
    process.env.NODE_ENV ??= 'production';
    // The HTTP server loads GraphQL (Yoga, the schema): about a second, paid only by `serve` itself.
    const { createHttpServer } = await import('../../app/http.ts');
    const server = createHttpServer({
      store,
      ...(flags.webDist ? { webDist: flags.webDist } : {}),
      host: flags.host,
      allowedHosts: flags.allowHost,
      ...(token ? { token: token.token } : {}),
      limits: {
        maxCost: flags.maxCost,
        maxAliases: flags.maxAliases,
        maxDepth: flags.maxDepth,
        maxTokens: flags.maxTokens,
      },
      timeBudgetMs: flags.timeBudget * 1000,
      workers: flags.workers,
      startWorkers: true,
      maxBodyMiB: flags.maxBody,
      openAnalyses: flags.openAnalyses,
    });
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
    const ui = url.replace(/graphql$/, '');
    // Only a generated token is printed (once): one from a file or the environment is already known.
    const uiLink = token?.source === 'generated' ? `${ui}#token=${token.token}` : ui;
    out.info(`accessgraph serving ${what} at ${url}`);
    out.info(`web UI at ${uiLink} (GraphiQL with example queries at /graphql)`);
    if (token)
      out.info(
        token.source === 'generated'
          ? 'every GraphQL request needs the token printed above: the link gives it to the web UI and GraphiQL'
          : `every GraphQL request needs the token (from ${token.source === 'file' ? flags.tokenFile : TOKEN_ENV}): ` +
              'open the web UI once as …/#token=<token>',
      );
    out.info(`store: ${describeStore(store, choice)}; press Ctrl-C to stop`);
    if (out.json) {
      process.stdout.write(
        JSON.stringify({
          ok: true,
          url,
          ...(token ? { ui: uiLink, tokenRequired: true } : {}),
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

    stopOnSignals(server, store);
  });
}
