import { createMemoryStore } from '../../server/graph/memory/memory-store.ts';
import { describeGraphStore } from './graph-store.contract.ts';

describeGraphStore('memory', async () => createMemoryStore(), { isolated: true });
