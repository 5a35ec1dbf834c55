/**
 * One snapshot under analysis, and everything computed from it that outlives a single question: the lookups by
 * ARN, the missing boundaries, and a typed memo where each analysis keeps what it computes (its own key, its own
 * compute). Every cache here lives exactly as long as the object; nothing about a snapshot is kept anywhere else.
 * It imports no analysis: they import it. Design notes: README.md, "SnapshotAnalysis".
 */
import type {
  AccountSnapshot,
  IamGroup,
  ManagedPolicy,
  OrgNode,
  Principal,
  Resource,
} from '../../schema/snapshot.ts';
import type { PolicyInput } from '../engine/index.ts';
import type { SnapshotReader } from '../graph/store.ts';
import type { Overlay } from './what-if/overlay.ts';

/** The snapshot's entities by ARN (and the organization's nodes by id), built on first use. */
export interface Lookups {
  principals: Map<string, Principal>;
  groups: Map<string, IamGroup>;
  policies: Map<string, ManagedPolicy>;
  resources: Map<string, Resource>;
  orgNodes: Map<string, OrgNode>;
  /** Per org policy type and account id: the levels (policy-set.ts `orgLevels`). */
  orgLevels: Map<string, PolicyInput[][] | undefined>;
}

/**
 * How a what-if's "after" came from "before": the analysis it was derived from and the overlay (whose `affected`
 * principals are the only ones whose policy sets differ).
 */
export interface Derivation {
  from: SnapshotAnalysis;
  overlay: Overlay;
}

/** Where a stored snapshot came from; its escalation graph is read back from there rather than built. */
export interface Source {
  store: SnapshotReader;
  snapshotId: string;
}

/** A memo entry's name and value type: declared by the analysis module that computes the value (`memoKey`). */
export interface MemoKey<T> {
  readonly name: string;
  /** Never set: carries the value type. */
  readonly value?: T;
}

/** A key for `SnapshotAnalysis.memo`, one per cached thing, declared once at module level by its owner. */
export function memoKey<T>(name: string): MemoKey<T> {
  return { name };
}

/**
 * Every analysis of a snapshot object, so that code holding only the snapshot (the escalation builder, a
 * what-if overlay's after snapshot) reaches the same caches. Weak: an analysis goes with its snapshot.
 */
const registry = new WeakMap<AccountSnapshot, SnapshotAnalysis>();

export class SnapshotAnalysis {
  #lookups?: Lookups;
  #missingBoundaries?: Map<string, string>;
  readonly #memo = new Map<MemoKey<unknown>, unknown>();

  private constructor(
    readonly snapshot: AccountSnapshot,
    /** Set when this is a what-if's "after": the analysis it was derived from and what changed. */
    readonly derivation?: Derivation,
    /** Set when the analysis was opened from a store. */
    readonly source?: Source,
  ) {
    registry.set(snapshot, this);
  }

  /** The stored snapshot `snapshotId`, or undefined when the store has none. */
  static async open(store: SnapshotReader, snapshotId: string): Promise<SnapshotAnalysis | undefined> {
    const snapshot = await store.readSnapshot(snapshotId);
    return snapshot && new SnapshotAnalysis(snapshot, undefined, { store, snapshotId });
  }

  /** The analysis of a snapshot held in memory (a bundle just imported, a test's): the same object every call. */
  static of(snapshot: AccountSnapshot): SnapshotAnalysis {
    return registry.get(snapshot) ?? new SnapshotAnalysis(snapshot);
  }

  /** The analysis of a what-if's "after" snapshot (what-if/derive.ts `deriveAnalysis`). */
  static derived(after: AccountSnapshot, derivation: Derivation): SnapshotAnalysis {
    return new SnapshotAnalysis(after, derivation);
  }

  /** The value under `key`: computed by `compute` on first use, then the same value while the analysis lives. */
  memo<T>(key: MemoKey<T>, compute: () => NoInfer<T>): T {
    if (!this.#memo.has(key)) this.#memo.set(key, compute());
    return this.#memo.get(key) as T;
  }

  /** The value under `key` if it was computed, without computing it. */
  peek<T>(key: MemoKey<T>): T | undefined {
    return this.#memo.get(key) as T | undefined;
  }

  /** Drops the value under `key` (a failed promise), so the next `memo` computes it again. */
  forget(key: MemoKey<unknown>): void {
    this.#memo.delete(key);
  }

  get lookups(): Lookups {
    const s = this.snapshot;
    return (this.#lookups ??= {
      principals: new Map([...s.users, ...s.roles].map((p) => [p.arn, p])),
      groups: new Map(s.groups.map((g) => [g.arn, g])),
      policies: new Map(s.policies.map((p) => [p.arn, p])),
      resources: new Map(s.resources.map((r) => [r.arn, r])),
      orgNodes: new Map((s.organization?.nodes ?? []).map((n) => [n.id, n])),
      orgLevels: new Map(),
    });
  }

  /** Principal ARN → its permissions boundary's ARN, for boundaries the snapshot does not hold. */
  get missingBoundaries(): Map<string, string> {
    if (!this.#missingBoundaries) {
      const known = this.lookups.policies;
      const m = new Map<string, string>();
      for (const p of this.lookups.principals.values())
        if (p.permissionsBoundary && !known.has(p.permissionsBoundary)) m.set(p.arn, p.permissionsBoundary);
      this.#missingBoundaries = m;
    }
    return this.#missingBoundaries;
  }
}
