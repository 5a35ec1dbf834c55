/**
 * One snapshot under analysis, and everything computed from it that outlives a single question: the lookups by
 * ARN, the who-can candidate index, the compiled resource policies and RCPs, the missing boundaries, the
 * effective-permissions reach memo and the escalation graph. Every cache here lives exactly as long as the
 * object; nothing about a snapshot is kept anywhere else. Design notes: README.md, "SnapshotAnalysis".
 */
import type {
  AccountSnapshot,
  IamGroup,
  ManagedPolicy,
  OrgNode,
  Principal,
  Resource,
} from '../../schema/snapshot.ts';
import type { Diagnostic } from '../../schema/diagnostics.ts';
import type { CompiledPolicySet, PolicyInput } from '../engine/index.ts';
import type { SnapshotReader } from '../graph/store.ts';
import type { CompiledRcps, CompiledResource } from './access.ts';
import {
  buildCandidateIndex,
  deriveCandidateIndex,
  type CandidateIndex,
  type IndexedPrincipal,
} from './candidate-index.ts';
import type { EscalationGraph } from './escalation/graph.ts';
import type { PrincipalReach } from './escalation/blast-radius.ts';
import { principalPolicySet } from './policy-set.ts';
import type { Change } from './what-if/changes.ts';
import { applyChanges, type Overlay } from './what-if/overlay.ts';

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

/** A resource or trust policy compiled once, with the principals it could grant directly (who-can.ts). */
export interface ResourceLayer {
  document: string;
  compiled: CompiledPolicySet['resource'];
  named: IndexedPrincipal[] | 'all';
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
interface Source {
  store: SnapshotReader;
  snapshotId: string;
}

/**
 * Every analysis of a snapshot object, so that code holding only the snapshot (the escalation builder, a
 * what-if overlay's after snapshot) reaches the same caches. Weak: an analysis goes with its snapshot.
 */
const registry = new WeakMap<AccountSnapshot, SnapshotAnalysis>();

export class SnapshotAnalysis {
  #lookups?: Lookups;
  #index?: CandidateIndex;
  #missingBoundaries?: Map<string, string>;
  #escalation?: Promise<EscalationGraph>;
  /** who-can's resource and trust layers, by policy id. */
  readonly resourceLayers = new Map<string, ResourceLayer>();
  /** Effective permissions' compiled resource policies by id (null: did not compile). */
  readonly compiledResources = new Map<string, CompiledResource | null>();
  /** Effective permissions' compiled RCPs by account id (the statements expanded on first use). */
  readonly compiledRcps = new Map<string, CompiledRcps>();
  /** Blast radius's per-principal reach from effective permissions, by principal ARN. */
  readonly reach = new Map<string, PrincipalReach | undefined>();

  private constructor(
    readonly snapshot: AccountSnapshot,
    /** Set when this is a what-if's "after": the analysis it was derived from and what changed. */
    readonly derivation?: Derivation,
    private readonly source?: Source,
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

  /**
   * A what-if: `changes` applied to a copy of this snapshot (what-if/overlay.ts), as the analysis of the result,
   * or the diagnostics when a change failed. Its candidate index is derived from this one's, compiling only the
   * overlay's affected principals.
   */
  derive(changes: readonly Change[]): { after?: SnapshotAnalysis; diagnostics: Diagnostic[] } {
    const { overlay, diagnostics } = applyChanges(this.snapshot, changes);
    if (!overlay) return { diagnostics };
    return { after: new SnapshotAnalysis(overlay.after, { from: this, overlay }), diagnostics };
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

  /** who-can's candidate index: derived from the base analysis's when this one is derived and that one is built. */
  get candidateIndex(): CandidateIndex {
    if (!this.#index) {
      const d = this.derivation;
      const base = d && d.from.#index;
      this.#index =
        d && base
          ? deriveCandidateIndex(base, this.snapshot, d.overlay.affected, principalPolicySet)
          : buildCandidateIndex(this.snapshot, principalPolicySet);
    }
    return this.#index;
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

  /**
   * The escalation graph: read back from the store a stored snapshot came from (the graph built at import), else
   * built from the snapshot (escalation/build.ts, loaded on first use). A stored snapshot with no derived rows at
   * all (loaded without them) is built too: a graph with neither edges nor admins is what a build of it gives or
   * what was never stored.
   */
  escalationGraph(): Promise<EscalationGraph> {
    if (!this.#escalation) {
      const source = this.source;
      const build = () => import('./escalation/build.ts').then((m) => m.buildEscalationGraph(this.snapshot));
      this.#escalation = source
        ? import('./escalation/stored.ts')
            .then((m) => m.readEscalationGraph(source.store, source.snapshotId))
            .then((g) => (g.edges.length === 0 && !g.fanOut?.length && g.admins.size === 0 ? build() : g))
        : build();
      this.#escalation.catch(() => (this.#escalation = undefined));
    }
    return this.#escalation;
  }
}
