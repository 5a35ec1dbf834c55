// Smoke test of the Neo4j the global setup provides, and of the launcher's own lifecycle (restart keeps the
// store, the password follows the environment, stop really ends the JVM, start failures say why).
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import neo4j from 'neo4j-driver';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { Neo4jStartError, SHORT_LIVED_JVM_ARGS, startNeo4j } from '../../scripts/neo4j/launcher.ts';
import { openTestDriver, testNeo4jConnection } from '../support/neo4j.ts';

describe('the test run’s Neo4j', () => {
  const driver = openTestDriver();
  afterAll(() => driver.close());

  it('stores a node and reads it back over Bolt', async () => {
    const id = randomUUID();
    await driver.executeQuery('CREATE (:LauncherSmoke {id: $id, arn: $arn})', {
      id,
      arn: 'arn:aws:iam::123456789012:user/alice',
    });
    try {
      const { records } = await driver.executeQuery('MATCH (n:LauncherSmoke {id: $id}) RETURN n.arn AS arn', {
        id,
      });
      expect(records.map((r) => r.get('arn'))).toEqual(['arn:aws:iam::123456789012:user/alice']);
    } finally {
      await driver.executeQuery('MATCH (n:LauncherSmoke {id: $id}) DELETE n', { id });
    }
  });

  it('is a Neo4j 5 (the Cypher the stores write assumes 5.x)', async () => {
    const { records } = await driver.executeQuery(
      'CALL dbms.components() YIELD name, versions RETURN name, versions[0] AS version',
    );
    expect(records[0]?.get('name')).toBe('Neo4j Kernel');
    expect(records[0]?.get('version')).toMatch(/^5\./);
  });

  it('rejects a wrong password', async (ctx) => {
    const { uri, user, password } = testNeo4jConnection();
    if (!password) ctx.skip(); // an external server without auth accepts any password
    const wrong = neo4j.driver(uri, neo4j.auth.basic(user, `${password}-wrong`));
    try {
      await expect(wrong.verifyConnectivity()).rejects.toMatchObject({
        code: 'Neo.ClientError.Security.Unauthorized',
      });
    } finally {
      await wrong.close();
    }
  });
});

describe('startNeo4j', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });
  const tempDir = async () => {
    const d = await mkdtemp(join(tmpdir(), 'accessgraph-neo4j-launcher-'));
    dirs.push(d);
    return d;
  };
  const quiet = () => {};
  const jvmArgs = SHORT_LIVED_JVM_ARGS;

  // One data directory through three JVMs: the third is started by a child process that is then killed, so one
  // start proves both "the same password again" and "the JVM dies with its parent".
  it(
    'keeps the store across restarts, sets the password from the options each start (the same one again too), stop ends the JVM, and the JVM exits when the Node process that started it dies',
    { timeout: 600_000 },
    async () => {
      const dataDir = await tempDir();
      const first = await startNeo4j({ dataDir, password: 'first-password', log: quiet, jvmArgs });
      try {
        expect(first.uri).toMatch(/^bolt:\/\/127\.0\.0\.1:\d+$/);
        const d = neo4j.driver(first.uri, neo4j.auth.basic('neo4j', 'first-password'));
        await d.executeQuery('CREATE (:Kept {name: "survives restart"})');
        await d.close();
      } finally {
        await first.stop();
      }
      // kill(pid, 0) only checks existence: ESRCH means the JVM is gone, not merely told to stop.
      expect(() => process.kill(first.pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));

      const second = await startNeo4j({ dataDir, password: 'second-password', log: quiet, jvmArgs });
      try {
        const d = neo4j.driver(second.uri, neo4j.auth.basic('neo4j', 'second-password'));
        const { records } = await d.executeQuery('MATCH (n:Kept) RETURN n.name AS name');
        await d.close();
        expect(records.map((r) => r.get('name'))).toEqual(['survives restart']);
        const old = neo4j.driver(second.uri, neo4j.auth.basic('neo4j', 'first-password'));
        await expect(old.verifyConnectivity()).rejects.toMatchObject({
          code: 'Neo.ClientError.Security.Unauthorized',
        });
        await old.close();
      } finally {
        await second.stop();
      }

      // A start with the password the store already has (`npm run neo4j` twice with the same env), in a child.
      const parent = spawn(
        process.execPath,
        ['--import', 'tsx', join(import.meta.dirname, 'start-and-hang.ts'), dataDir, 'second-password'],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const parentExited = new Promise((r) => parent.once('exit', r));
      const [jvmPid, uri] = await new Promise<[number, string]>((resolveStarted, reject) => {
        parent.once('exit', (code) =>
          reject(new Error(`start-and-hang.ts exited with ${code} before printing`)),
        );
        createInterface({ input: parent.stdout! }).on('line', (line) => {
          const m = /^jvm-pid (\d+) (\S+)$/.exec(line);
          if (m) resolveStarted([Number(m[1]), m[2]!]);
        });
      });
      try {
        const d = neo4j.driver(uri, neo4j.auth.basic('neo4j', 'second-password'));
        const { records } = await d.executeQuery('MATCH (n:Kept) RETURN count(n) AS n');
        await d.close();
        expect(records[0]?.get('n').toNumber()).toBe(1);
        expect(() => process.kill(jvmPid, 0)).not.toThrow();
      } finally {
        parent.kill('SIGKILL'); // no exit handlers run: only the closed stdin pipe tells the JVM
        await parentExited;
      }
      const deadline = Date.now() + 120_000;
      while (isAlive(jvmPid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
      const orphaned = isAlive(jvmPid);
      if (orphaned) process.kill(jvmPid, 'SIGKILL');
      expect(orphaned).toBe(false);
    },
  );

  it('fails with the reason and Neo4j’s log when the port is taken', { timeout: 300_000 }, async (ctx) => {
    // Collide with the run's own Neo4j; an external server's port may not be on this machine at all.
    const uri = new URL(inject('neo4jUri').replace(/^[a-z+]+:/, 'http:'));
    if (uri.hostname !== '127.0.0.1' || !uri.port) ctx.skip();
    const taken = Number(uri.port);
    const err = await startNeo4j({ dataDir: await tempDir(), port: taken, log: quiet, jvmArgs }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Neo4jStartError);
    expect((err as Error).message).toMatch(/Address already in use|BindException/);
    expect((err as Error).message).toContain('debug.log');
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
