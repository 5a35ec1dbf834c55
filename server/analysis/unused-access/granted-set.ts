/**
 * A principal's effective actions as one bit per catalog action (about 2.8 KB for a principal allowed `*`, where a
 * Map of its ~22,000 actions took megabytes), over the catalog's actions in the services section's order: by
 * service, access level (`ACCESS_LEVELS`), then action — so each service is one range of positions. One
 * `ActionIndex` per run also remembers the catalog's pattern expansions (narrowing asks the same ones per policy).
 */
import type { ActionCatalog } from '../../engine/index.ts';
import { ACCESS_LEVELS, accessLevelOf, type AccessLevel } from '../access.ts';

export class ActionIndex {
  /** Catalog spelling, by position. */
  readonly actions: string[];
  /** Lower-case name after the colon, by position. */
  readonly names: string[];
  readonly levels: AccessLevel[];
  readonly position: Map<string, number>;
  /** Lower-case service → its positions [start, end), in service order. */
  readonly services = new Map<string, { start: number; end: number }>();
  private readonly expanded = new Map<string, string[]>();

  constructor(private readonly catalog: ActionCatalog) {
    const rank = new Map<AccessLevel, number>(ACCESS_LEVELS.map((l, i) => [l, i]));
    const keyed = catalog.expandAction('*').map((action) => ({
      action,
      service: action.slice(0, action.indexOf(':')).toLowerCase(),
      level: accessLevelOf(catalog, action),
    }));
    keyed.sort(
      (x, y) =>
        (x.service < y.service ? -1 : x.service > y.service ? 1 : 0) ||
        rank.get(x.level)! - rank.get(y.level)! ||
        (x.action < y.action ? -1 : x.action > y.action ? 1 : 0),
    );
    keyed.forEach((k, i) => {
      const range = this.services.get(k.service);
      if (range) range.end = i + 1;
      else this.services.set(k.service, { start: i, end: i + 1 });
    });
    this.actions = keyed.map((k) => k.action);
    this.names = keyed.map((k) => k.action.slice(k.action.indexOf(':') + 1).toLowerCase());
    this.levels = keyed.map((k) => k.level);
    this.position = new Map(keyed.map((k, i) => [k.action, i]));
  }

  /** `ActionCatalog.expandAction`, remembered per lower-case pattern. */
  expandAction(pattern: string): string[] {
    const key = pattern.toLowerCase();
    let hit = this.expanded.get(key);
    if (!hit) this.expanded.set(key, (hit = this.catalog.expandAction(pattern)));
    return hit;
  }
}

/** 32-bit words for one bit per catalog action. */
export function wordsFor(index: ActionIndex): number {
  return (index.actions.length + 31) >>> 5;
}

export class GrantedSet {
  private readonly bits: Uint32Array;
  /** `actions` by name, or the bits themselves (one per position, `wordsFor` long: kept, not copied). */
  constructor(
    readonly index: ActionIndex,
    actions: Iterable<string> | Uint32Array,
  ) {
    if (actions instanceof Uint32Array) {
      this.bits = actions;
      return;
    }
    this.bits = new Uint32Array(wordsFor(index));
    for (const a of actions) {
      const i = index.position.get(a);
      if (i !== undefined) this.bits[i >>> 5]! |= 1 << (i & 31);
    }
  }

  has(action: string): boolean {
    const i = this.index.position.get(action);
    return i !== undefined && this.at(i);
  }

  at(position: number): boolean {
    return (this.bits[position >>> 5]! & (1 << (position & 31))) !== 0;
  }

  /** The granted positions of one service's range, in order. */
  *within(range: { start: number; end: number }): Generator<number> {
    for (let i = range.start; i < range.end; i++) {
      const word = this.bits[i >>> 5]!;
      if (word === 0) {
        i |= 31;
        continue;
      }
      if (word & (1 << (i & 31))) yield i;
    }
  }

  /** The services with at least one granted action, in service order, with their ranges. */
  *services(): Generator<[string, { start: number; end: number }]> {
    for (const entry of this.index.services) if (!this.within(entry[1]).next().done) yield entry;
  }
}
