import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openEmbeddedStore } from '../../server/graph/embedded/embedded-store.ts';
import { describeGraphStore } from './graph-store.contract.ts';

const dir = mkdtempSync(join(tmpdir(), 'accessgraph-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeGraphStore('embedded (LMDB)', async () => openEmbeddedStore(dir), { isolated: true });
