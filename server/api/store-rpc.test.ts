// The store reader across threads: calls answered at the other end of a MessagePort, optional methods included.
import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../graph/memory/memory-store.ts';
import { SnapshotNotFoundError, type GraphStore } from '../graph/store.ts';
import { company } from '../../test/contract/graph-store.contract.ts';
import { remoteStore, serveStore } from './store-rpc.ts';

let store: GraphStore | undefined;
let channel: MessageChannel | undefined;

afterEach(async () => {
  channel?.port1.close();
  channel?.port2.close();
  await store?.close();
});

describe('store reader over a MessagePort', () => {
  it('answers as the store does, errors keeping their class', async () => {
    store = createMemoryStore();
    const info = await store.load(company('111122223333'));
    channel = new MessageChannel();
    serveStore(channel.port1, store);
    const remote = remoteStore(channel.port2);
    expect(await remote.listSnapshots()).toEqual(await store.listSnapshots());
    expect(await remote.readSnapshot(info.id)).toEqual(await store.readSnapshot(info.id));
    await expect(remote.readDerivedEdges('nope')).rejects.toBeInstanceOf(SnapshotNotFoundError);
  });

  it('answers undefined for an optional method the store lacks ("read it whole")', async () => {
    store = createMemoryStore();
    const info = await store.load(company('111122223333'));
    expect(store.readReachableRows).toBeUndefined();
    channel = new MessageChannel();
    serveStore(channel.port1, store);
    const remote = remoteStore(channel.port2);
    const arn = (await store.listPrincipals(info.id, {}, 1)).items[0]!.arn;
    expect(await remote.readReachableRows!(info.id, arn, 6, 0.1)).toBeUndefined();
  });
});
