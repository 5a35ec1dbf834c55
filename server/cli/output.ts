/**
 * Output for every command: human text on stdout (problems on stderr), or one JSON document on stdout with
 * `--json`. Exit codes (docs/style.md §D): 0 ok, 2 bad input (any error-severity diagnostic, bad arguments),
 * 1 anything else (store unreachable, a bug).
 */
import pc from 'picocolors';
import { formatDiagnostic, type Diagnostic } from '../../schema/diagnostics.ts';
import { StoreDamagedError, StoreUnavailableError } from '../graph/store.ts';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_BAD_INPUT = 2;

/** A failure the CLI reports in one line and maps to an exit code, e.g. a port already in use. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_FAILURE,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export interface Output {
  json: boolean;
  /** A line of human output (suppressed with --json). */
  info(line: string): void;
  /** Diagnostics, one per line on stderr, coloured by severity; with --json they go into the document. */
  diagnostics(ds: readonly Diagnostic[]): void;
  /** The --json document (ignored without --json). */
  result(doc: unknown): void;
}

export function createOutput(json: boolean, streams = { out: process.stdout, err: process.stderr }): Output {
  const colour = !json && streams.err.isTTY === true;
  return {
    json,
    info(line) {
      if (!json) streams.out.write(line + '\n');
    },
    diagnostics(ds) {
      if (json) return;
      for (const d of ds) {
        const text = formatDiagnostic(d);
        streams.err.write((colour ? (d.severity === 'error' ? pc.red(text) : pc.yellow(text)) : text) + '\n');
      }
    },
    result(doc) {
      if (json) streams.out.write(JSON.stringify(doc, null, 2) + '\n');
    },
  };
}

/** Last resort for errors nobody expected: one line, the cause chain for Neo4j problems, exit 1. */
export function reportFailure(e: unknown, json: boolean): number {
  const code = e instanceof CliError ? e.exitCode : EXIT_FAILURE;
  const message = e instanceof Error ? e.message : String(e);
  const hint =
    e instanceof CliError
      ? e.hint
      : e instanceof StoreUnavailableError
        ? 'is Neo4j running and are NEO4J_URI/NEO4J_USER/NEO4J_PASSWORD right? `npm run neo4j` starts one'
        : e instanceof StoreDamagedError
          ? `remove the snapshot with \`accessgraph snapshots rm <id>\`, or move ${e.file} away to start a new store`
          : undefined;
  if (json) {
    process.stdout.write(
      JSON.stringify(
        {
          ok: false,
          error: { name: e instanceof Error ? e.name : 'Error', message, ...(hint ? { hint } : {}) },
        },
        null,
        2,
      ) + '\n',
    );
  } else {
    process.stderr.write(`accessgraph: ${message}${hint ? ` — ${hint}` : ''}\n`);
  }
  return code;
}
