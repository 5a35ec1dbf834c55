// Starts a real Neo4j Community 5.26 (embedded in a small Java launcher, see Neo4jLauncher.java) in its own
// JVM, without Docker: for the `neo4j` test project's global setup and for `npm run neo4j`.
//
// Protocol with the JVM: it prints exactly one `accessgraph-neo4j ready bolt://HOST:PORT` line on stdout once
// the default database is available; SIGTERM shuts it down cleanly; it exits by itself when its stdin closes,
// so it cannot outlive this Node process.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { delimiter, dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import neo4j from 'neo4j-driver';

export interface StartNeo4jOptions {
  /** Bolt port on 127.0.0.1; 0 or undefined picks a free one. */
  port?: number;
  /** Neo4j home: the store goes to `<dataDir>/data`, logs to `<dataDir>/logs`. Created if missing. */
  dataDir: string;
  /** Defaults to `neo4j`, the user every Neo4j starts with. */
  user?: string;
  /** Defaults to a random password; at least 8 characters (Neo4j's default minimum). */
  password?: string;
  /** Defaults to true. */
  authEnabled?: boolean;
  /** JVM heap cap, `-Xmx` syntax. Defaults to `1g`. */
  heap?: string;
  /** `server.memory.pagecache.size`. Defaults to `256m` (Neo4j's own default is ~50% of RAM). */
  pageCache?: string;
  /** Progress and Neo4j's stderr, one line at a time. Defaults to stderr with a `[neo4j]` prefix. */
  log?: (line: string) => void;
  /** Extra JVM flags, e.g. `-XX:TieredStopAtLevel=1` for short-lived test runs. */
  jvmArgs?: readonly string[];
  /** How long to wait for the ready line. Defaults to 180 s (a cold JVM on 2 busy cores is slow). */
  startTimeoutMs?: number;
}

export interface RunningNeo4j {
  /** `bolt://127.0.0.1:PORT` */
  uri: string;
  user: string;
  /** Empty when auth is disabled. */
  password: string;
  /** The JVM's process id. */
  pid: number;
  /** SIGTERM, then SIGKILL if the JVM has not exited after 30 s. Safe to call twice. */
  stop(): Promise<void>;
}

/** Neo4j did not come up: the message carries the tail of its stderr and of `logs/debug.log`. */
export class Neo4jStartError extends Error {
  override name = 'Neo4jStartError';
}

const READY_PREFIX = 'accessgraph-neo4j ready ';
const MAIN_CLASS = 'dev.accessgraph.neo4j.Neo4jLauncher';
const projectDir = dirname(fileURLToPath(import.meta.url));
const targetDir = join(projectDir, 'target');
const classpathFile = join(targetDir, 'classpath.txt');
// Written after each successful build: Maven leaves classpath.txt and unchanged classes with their old mtimes.
const buildStamp = join(targetDir, 'accessgraph-build.stamp');

// Neo4j 5.26 on Java 17 reaches into these JDK internals (page cache, direct buffers); without the opens it
// fails at startup with InaccessibleObjectException.
const ADD_OPENS = ['java.base/java.nio', 'java.base/java.io', 'java.base/sun.nio.ch'].map(
  (p) => `--add-opens=${p}=ALL-UNNAMED`,
);

/**
 * For JVMs that live for one test run: C1-only JIT. Skipping C2 cut startup CPU from ~10.6 s to ~6.2 s on a
 * 2-core machine, at the price of peak speed that small test graphs never need.
 */
export const SHORT_LIVED_JVM_ARGS: readonly string[] = ['-XX:TieredStopAtLevel=1'];

const defaultLog = (line: string) => process.stderr.write(`[neo4j] ${line}\n`);

export async function startNeo4j(opts: StartNeo4jOptions): Promise<RunningNeo4j> {
  const log = opts.log ?? defaultLog;
  const user = opts.user ?? 'neo4j';
  const authEnabled = opts.authEnabled ?? true;
  const password = authEnabled ? (opts.password ?? randomBytes(18).toString('base64url')) : '';
  if (authEnabled && password.length < 8) {
    throw new Neo4jStartError(
      'the Neo4j password must have at least 8 characters (dbms.security.auth_minimum_password_length)',
    );
  }
  const java = findJava();
  const classpath = await ensureLauncherBuilt(log);
  const dataDir = resolve(opts.dataDir);
  await mkdir(dataDir, { recursive: true });

  // A port picked here may be taken by someone else before the JVM binds it; retry with another then.
  const attempts = opts.port ? 1 : 3;
  for (let attempt = 1; ; attempt++) {
    const port = opts.port || (await findFreePort());
    try {
      const running = await spawnLauncher({
        ...opts,
        java,
        classpath,
        dataDir,
        port,
        user,
        password,
        authEnabled,
        log,
      });
      await verifyConnectivity(running).catch(async (err: unknown) => {
        await running.stop();
        throw new Neo4jStartError(
          `Neo4j at ${running.uri} printed ready but refused a connection: ${String(err)}`,
          {
            cause: err,
          },
        );
      });
      return running;
    } catch (err) {
      if (attempt < attempts && err instanceof PortInUseError) {
        log(`port ${port} was taken meanwhile, retrying with another`);
        continue;
      }
      throw err;
    }
  }
}

class PortInUseError extends Neo4jStartError {}

interface SpawnArgs extends StartNeo4jOptions {
  java: string;
  classpath: string;
  port: number;
  user: string;
  password: string;
  authEnabled: boolean;
  log: (line: string) => void;
}

function spawnLauncher(a: SpawnArgs): Promise<RunningNeo4j> {
  const args = [
    `-Xmx${a.heap ?? '1g'}`,
    '-XX:+ExitOnOutOfMemoryError',
    '-Dfile.encoding=UTF-8',
    ...ADD_OPENS,
    ...(a.jvmArgs ?? []),
    '-cp',
    a.classpath,
    MAIN_CLASS,
    '--home',
    a.dataDir,
    '--host',
    '127.0.0.1',
    '--port',
    String(a.port),
    '--auth',
    String(a.authEnabled),
    '--user',
    a.user,
    '--page-cache',
    a.pageCache ?? '256m',
    '--exit-on-stdin-eof',
  ];
  const started = Date.now();
  // detached: its own process group, so a Ctrl-C in the terminal reaches only Node, which then stops Neo4j
  // in order (SIGTERM → checkpoint → exit) instead of both racing. stdin stays a pipe we never close: its EOF
  // is the JVM's signal that we died.
  const child = spawn(a.java, args, {
    cwd: a.dataDir,
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ACCESSGRAPH_NEO4J_PASSWORD: a.password },
  });
  const exited = new Promise<number | null>((res) =>
    child.once('exit', (code, signal) => res(signal ? null : code)),
  );
  const stderrTail: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => {
    stderrTail.push(line);
    if (stderrTail.length > 40) stderrTail.shift();
    a.log(line);
  });

  const stop = once(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  });

  return new Promise<RunningNeo4j>((resolvePromise, reject) => {
    let settled = false;
    const fail = async (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
      const stderr = stderrTail.join('\n');
      const debugLog = await tail(join(a.dataDir, 'logs', 'debug.log'), 30);
      const message =
        `Neo4j did not start (${why}).\n` +
        `--- stderr (last lines) ---\n${stderr || '(empty)'}\n` +
        `--- ${join(a.dataDir, 'logs', 'debug.log')} (last lines) ---\n${debugLog}`;
      const portTaken = /BindException|Address already in use/.test(stderr + debugLog);
      reject(portTaken ? new PortInUseError(message) : new Neo4jStartError(message));
    };
    const timeoutMs = a.startTimeoutMs ?? 180_000;
    const timer = setTimeout(() => void fail(`no ready line after ${timeoutMs} ms`), timeoutMs);
    child.once('error', (err) => void fail(`could not run ${a.java}: ${err.message}`));
    child.once('exit', (code, signal) => void fail(`the JVM exited with ${signal ?? `status ${code}`}`));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith(READY_PREFIX)) {
        a.log(line);
        return;
      }
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const uri = line.slice(READY_PREFIX.length).trim();
      a.log(`ready at ${uri} after ${((Date.now() - started) / 1000).toFixed(1)} s (data in ${a.dataDir})`);
      resolvePromise({ uri, user: a.user, password: a.password, pid: child.pid!, stop });
    });
  });
}

async function verifyConnectivity(n: RunningNeo4j): Promise<void> {
  const driver = neo4j.driver(n.uri, neo4j.auth.basic(n.user, n.password));
  try {
    await driver.verifyConnectivity();
  } finally {
    await driver.close();
  }
}

/**
 * Builds the Java launcher with Maven when `target/` is missing or older than the pom or a Java source, and
 * returns the JVM classpath. The first build downloads ~150 MB of Neo4j jars into `~/.m2`.
 */
export async function ensureLauncherBuilt(log: (line: string) => void = defaultLog): Promise<string> {
  if (await isBuildStale())
    await withBuildLock(log, async () => {
      // Another process may have built it while we waited for the lock.
      if (await isBuildStale()) await build(log);
    });
  const deps = (await readFile(classpathFile, 'utf8')).trim();
  return [join(targetDir, 'classes'), deps].join(delimiter);
}

async function build(log: (line: string) => void): Promise<void> {
  log('building the Neo4j launcher with Maven (the first build downloads ~150 MB of Neo4j jars into ~/.m2)…');
  const started = Date.now();
  const mvn = spawnSync('mvn', ['-q', '-B', 'package'], {
    cwd: projectDir,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (mvn.error) {
    throw new Neo4jStartError(
      `could not run Maven (${mvn.error.message}): install Java 17 and Maven, e.g. \`apt-get install openjdk-17-jdk-headless maven\``,
      { cause: mvn.error },
    );
  }
  if (mvn.status !== 0) {
    const out = `${mvn.stdout}\n${mvn.stderr}`.trim().split('\n').slice(-40).join('\n');
    throw new Neo4jStartError(
      `\`mvn -q -B package\` in ${projectDir} failed (status ${mvn.status}):\n${out}`,
    );
  }
  await writeFile(buildStamp, `${new Date().toISOString()}\n`);
  log(`built the Neo4j launcher in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * Two Maven builds in one `target/` (say `npm run neo4j` and `npm test` on a fresh clone) would corrupt each
 * other: serialize them with a lock directory (mkdir is atomic); a lock older than 10 minutes is a crashed
 * build's and is taken over.
 */
async function withBuildLock(log: (line: string) => void, fn: () => Promise<void>): Promise<void> {
  const lock = join(projectDir, '.build-lock');
  let announced = false;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const age = Date.now() - (await stat(lock).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
      if (age > 10 * 60_000) {
        await rm(lock, { recursive: true, force: true });
        continue;
      }
      if (!announced) log('waiting for another process that is building the Neo4j launcher…');
      announced = true;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  try {
    await fn();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

async function isBuildStale(): Promise<boolean> {
  if (!existsSync(classpathFile) || !existsSync(buildStamp)) return true;
  const built = (await stat(buildStamp)).mtimeMs;
  const sources = [join(projectDir, 'pom.xml'), ...(await listFiles(join(projectDir, 'src')))];
  for (const file of sources) if ((await stat(file)).mtimeMs > built) return true;
  return false;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** `java` on PATH (or ACCESSGRAPH_JAVA), checked to be 17 or 21: Neo4j 5.26 runs on nothing else. */
function findJava(): string {
  const java = process.env.ACCESSGRAPH_JAVA ?? 'java';
  const r = spawnSync(java, ['-version'], { encoding: 'utf8' });
  if (r.error) {
    throw new Neo4jStartError(
      `could not run \`${java}\` (${r.error.message}): install Java 17, e.g. \`apt-get install openjdk-17-jdk-headless\``,
      { cause: r.error },
    );
  }
  const major = /version "(\d+)/.exec(r.stderr)?.[1];
  if (major !== '17' && major !== '21') {
    throw new Neo4jStartError(
      `Neo4j 5.26 needs Java 17 or 21, but \`${java}\` is Java ${major ?? '(unknown)'}: ` +
        'put a JDK 17 first on PATH or set ACCESSGRAPH_JAVA to its `bin/java`',
    );
  }
  return java;
}

function findFreePort(): Promise<number> {
  return new Promise((res, rej) => {
    const server = createServer();
    server.unref();
    server.once('error', rej);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => res(port));
    });
  });
}

async function tail(file: string, lines: number): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(not written)';
  }
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let p: Promise<void> | undefined;
  return () => (p ??= fn());
}
