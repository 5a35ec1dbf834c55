/**
 * A `SnapshotReader` across threads: `serveStore` answers reader calls arriving on a MessagePort (the main
 * thread, which owns the store), `remoteStore` is a reader whose methods send them (an execution worker).
 * Results travel by structured clone. The store's own errors keep their class on the way back
 * (`StoreUnavailableError`, `SnapshotNotFoundError`), so GraphQL answers them as it does in-process.
 */
import type { MessagePort } from 'node:worker_threads';
import { SnapshotNotFoundError, StoreUnavailableError, type SnapshotReader } from '../graph/store.ts';

/** Every method of the reader port (the record makes the compiler list each one). */
const READER_METHODS: Record<keyof SnapshotReader, true> = {
  listSnapshots: true,
  getSnapshot: true,
  currentSnapshot: true,
  listPrincipals: true,
  getPrincipal: true,
  getGroup: true,
  getGroupMembers: true,
  getPolicy: true,
  getPolicyAttachments: true,
  getResource: true,
  graph: true,
  readSnapshot: true,
  readDerivedEdges: true,
  readPrincipalClasses: true,
  readReachableRows: true,
  readSnapshotPart: true,
};
type Method = keyof SnapshotReader;

/** An error as it crosses a thread: its class name, message and the fields our error classes carry. */
export interface WireError {
  name: string;
  message: string;
  snapshotId?: string;
}

export function errorToWire(error: unknown): WireError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  return {
    name: error.name,
    message: error.message,
    ...(error instanceof SnapshotNotFoundError ? { snapshotId: error.snapshotId } : {}),
  };
}

/** The error back as an instance of the class the resolvers and the error masking look for. */
export function errorFromWire(wire: WireError): Error {
  if (wire.name === 'StoreUnavailableError') return new StoreUnavailableError(wire.message);
  if (wire.name === 'SnapshotNotFoundError' && wire.snapshotId !== undefined)
    return new SnapshotNotFoundError(wire.snapshotId);
  const error = new Error(wire.message);
  error.name = wire.name;
  return error;
}

interface StoreCall {
  id: number;
  method: Method;
  args: unknown[];
}
type StoreReply = { id: number; result: unknown } | { id: number; error: WireError };

/** Answers the reader calls of `port` from `store` until the port closes. */
export function serveStore(port: MessagePort, store: SnapshotReader): void {
  port.on('message', ({ id, method, args }: StoreCall) => {
    void (async () => {
      let reply: StoreReply;
      try {
        if (!Object.hasOwn(READER_METHODS, method))
          throw new Error(`\`${method}\` is not a store reader method`);
        const fn = store[method] as ((...a: unknown[]) => Promise<unknown>) | undefined;
        // An optional method the store lacks answers undefined, which its contract reads as "read it whole".
        reply = { id, result: fn ? await Reflect.apply(fn, store, args) : undefined };
      } catch (e) {
        reply = { id, error: errorToWire(e) };
      }
      try {
        port.postMessage(reply);
      } catch (e) {
        // A result that cannot be cloned: the caller still gets an answer.
        port.postMessage({ id, error: errorToWire(e) } satisfies StoreReply);
      }
    })();
  });
}

/** A reader whose every method is answered by `serveStore` at the other end of `port`. */
export function remoteStore(port: MessagePort): SnapshotReader {
  let nextId = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  port.on('message', (reply: StoreReply) => {
    const call = pending.get(reply.id);
    if (!call) return;
    pending.delete(reply.id);
    if ('error' in reply) call.reject(errorFromWire(reply.error));
    else call.resolve(reply.result);
  });
  const method =
    (name: Method) =>
    (...args: unknown[]): Promise<unknown> =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        port.postMessage({ id, method: name, args } satisfies StoreCall);
      });
  return Object.fromEntries(
    (Object.keys(READER_METHODS) as Method[]).map((name) => [name, method(name)]),
  ) as unknown as SnapshotReader;
}
