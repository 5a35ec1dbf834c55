import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseStore } from './store-config.ts';

describe('chooseStore', () => {
  it('is the embedded store without a Neo4j URI, whatever else is set', () => {
    expect(chooseStore({}, { NEO4J_PASSWORD: 'x', HOME: '/home/ann' })).toMatchObject({ kind: 'embedded' });
  });

  it('keeps the embedded store in --data-dir, else ACCESSGRAPH_DATA_DIR, else the platform data directory', () => {
    const env = { ACCESSGRAPH_DATA_DIR: '/srv/ag' };
    expect(chooseStore({ dataDir: '/tmp/x' }, env)).toEqual({ kind: 'embedded', dataDir: '/tmp/x' });
    expect(chooseStore({}, env)).toEqual({ kind: 'embedded', dataDir: '/srv/ag' });
    // The platform's data directory, named after the tool without env-paths' `-nodejs` suffix.
    expect(chooseStore({}, {})).toMatchObject({
      kind: 'embedded',
      dataDir: expect.stringMatching(/accessgraph$/),
    });
  });

  it('takes the password from the environment, or from a file that wins over it (newline dropped)', () => {
    const env = { NEO4J_URI: 'bolt://127.0.0.1:7687', NEO4J_PASSWORD: 'from-env' };
    expect(chooseStore({}, env)).toMatchObject({ kind: 'neo4j', user: 'neo4j', password: 'from-env' });
    const file = join(mkdtempSync(join(tmpdir(), 'store-config-')), 'pw');
    writeFileSync(file, 'from-file\n');
    expect(chooseStore({ neo4jPasswordFile: file }, env)).toMatchObject({ password: 'from-file' });
  });
});
