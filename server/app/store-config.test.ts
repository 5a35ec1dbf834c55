import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseStore } from './store-config.ts';

describe('chooseStore', () => {
  it('is the embedded store without a Neo4j URI, whatever else is set', () => {
    expect(chooseStore({}, { NEO4J_PASSWORD: 'x' })).toEqual({ kind: 'memory' });
  });

  it('takes the password from the environment, or from a file that wins over it (newline dropped)', () => {
    const env = { NEO4J_URI: 'bolt://127.0.0.1:7687', NEO4J_PASSWORD: 'from-env' };
    expect(chooseStore({}, env)).toMatchObject({ kind: 'neo4j', user: 'neo4j', password: 'from-env' });
    const file = join(mkdtempSync(join(tmpdir(), 'store-config-')), 'pw');
    writeFileSync(file, 'from-file\n');
    expect(chooseStore({ neo4jPasswordFile: file }, env)).toMatchObject({ password: 'from-file' });
  });
});
