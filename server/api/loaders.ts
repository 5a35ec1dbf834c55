/**
 * DataLoaders, one set per request. Keys are `snapshotId` + ARN (joined with a newline, which no ARN
 * contains), so a query that touches the same group or policy from many principals reads it once. The store
 * ports are per-item lookups today; batching here still deduplicates, and a batched port method can replace
 * the `Promise.all` later without touching resolvers.
 */
import DataLoader from 'dataloader';
import type { IamGroup, ManagedPolicy, Principal } from '../../schema/snapshot.ts';
import type { PolicyAttachment, SnapshotInfo, SnapshotReader } from '../graph/store.ts';

export interface ScopedKey {
  snapshotId: string;
  arn: string;
}

export interface Loaders {
  snapshot: DataLoader<string, SnapshotInfo | undefined>;
  principal: DataLoader<ScopedKey, Principal | undefined, string>;
  group: DataLoader<ScopedKey, IamGroup | undefined, string>;
  groupMembers: DataLoader<ScopedKey, Principal[], string>;
  policy: DataLoader<ScopedKey, ManagedPolicy | undefined, string>;
  policyAttachments: DataLoader<ScopedKey, PolicyAttachment[], string>;
  /** How many times each loader's batch function ran in this request (tests assert batching with it). */
  batchCalls: Record<
    'snapshot' | 'principal' | 'group' | 'groupMembers' | 'policy' | 'policyAttachments',
    number
  >;
}

const cacheKeyFn = (k: ScopedKey): string => `${k.snapshotId}\n${k.arn}`;

export function createLoaders(store: SnapshotReader): Loaders {
  const batchCalls: Loaders['batchCalls'] = {
    snapshot: 0,
    principal: 0,
    group: 0,
    groupMembers: 0,
    policy: 0,
    policyAttachments: 0,
  };
  function scoped<V>(
    name: keyof Loaders['batchCalls'],
    get: (snapshotId: string, arn: string) => Promise<V>,
  ): DataLoader<ScopedKey, V, string> {
    return new DataLoader<ScopedKey, V, string>(
      async (keys) => {
        batchCalls[name] += 1;
        return Promise.all(keys.map((k) => get(k.snapshotId, k.arn)));
      },
      { cacheKeyFn },
    );
  }
  return {
    batchCalls,
    snapshot: new DataLoader<string, SnapshotInfo | undefined>(async (ids) => {
      batchCalls.snapshot += 1;
      return Promise.all(ids.map((id) => store.getSnapshot(id)));
    }),
    principal: scoped('principal', (s, arn) => store.getPrincipal(s, arn)),
    group: scoped('group', (s, arn) => store.getGroup(s, arn)),
    groupMembers: scoped('groupMembers', (s, arn) => store.getGroupMembers(s, arn)),
    policy: scoped('policy', (s, arn) => store.getPolicy(s, arn)),
    policyAttachments: scoped('policyAttachments', (s, arn) => store.getPolicyAttachments(s, arn)),
  };
}
