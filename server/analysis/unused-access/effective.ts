/**
 * A principal's effective actions as bits: the actions the access panel's services section lists (`access.ts`,
 * without scopes), computed with masks over the run's `ActionIndex` rather than per action and statement.
 * Per run, once: each statement's actions as a mask (per Action/NotAction text), each action's rule key and ARN
 * formats as a class number, and whether a Resource pattern fits each class of ARN formats. Per principal: the
 * candidates (its identity Allows' masks), split into groups by rule key and by the statements (every layer) that
 * match them — the groups the services section forms — then one decision per group and granted pattern
 * (`decideScope`, the same engine call) answers for the group's actions that pattern fits.
 */
import type { ActionCatalog } from '../../engine/index.ts';
import { actionRuleKey } from '../../engine/index.ts';
import { decideScope, metaOf, patternsOf, prepare, type Stmt } from '../access.ts';
import { patternFitsAction } from '../arn-patterns.ts';
import type { SnapshotAnalysis } from '../snapshot-analysis.ts';
import { ActionIndex, GrantedSet, wordsFor } from './granted-set.ts';

/** A set of positions: the words from `lo` on that hold its bits (an Action list spans a few words, not all). */
interface Mask {
  lo: number;
  words: Uint32Array;
}

/** Classes of positions: `of[position]` is its class; per class one value. */
interface Classes<T> {
  of: Int32Array;
  values: T[];
}

function classesOf<T>(
  count: number,
  keyOf: (position: number) => string,
  valueOf: (p: number) => T,
): Classes<T> {
  const ids = new Map<string, number>();
  const of = new Int32Array(count);
  const values: T[] = [];
  for (let i = 0; i < count; i++) {
    const key = keyOf(i);
    let id = ids.get(key);
    if (id === undefined) {
      ids.set(key, (id = values.length));
      values.push(valueOf(i));
    }
    of[i] = id;
  }
  return { of, values };
}

export class EffectiveActions {
  private readonly words: number;
  /** Per position its rule key's class (`actionRuleKey`: actions of one class may share a decision). */
  private readonly rules: Classes<null>;
  /** Per position the class of its ARN formats (catalog templates). */
  private readonly formats: Classes<readonly string[]>;
  /** A statement's actions, per its Action/NotAction text (`Stmt.actionKey`). */
  private readonly masks = new Map<string, Mask>();
  /** Per Resource pattern, per class of ARN formats asked about: whether the pattern fits it. */
  private readonly fits = new Map<string, Map<number, boolean>>();

  constructor(
    private readonly catalog: ActionCatalog,
    readonly index: ActionIndex,
  ) {
    const n = index.actions.length;
    this.words = wordsFor(index);
    this.rules = classesOf(
      n,
      (i) => actionRuleKey(index.actions[i]!),
      () => null,
    );
    this.formats = classesOf(
      n,
      (i) => metaOf(catalog, index.actions[i]!).templatesKey,
      (i) => metaOf(catalog, index.actions[i]!).templates,
    );
  }

  /** The actions the services section lists, as bits; undefined when the snapshot has no such principal. */
  of(analysis: SnapshotAnalysis, principalArn: string): { actions: GrantedSet; notes: string[] } | undefined {
    const p = prepare(this.catalog, analysis, principalArn, {});
    if (!p) return undefined;
    const bits = new Uint32Array(this.words);
    if (!('e' in p)) return { actions: new GrantedSet(this.index, bits), notes: p.notes };
    const { e, signatures } = p;
    const stmts = signatures.stmts;
    const masks = stmts.map((s) => this.maskOf(s));
    const candidates = new Uint32Array(this.words);
    stmts.forEach((s, k) => {
      if (s.layer === 'identity' && s.statement.effect === 'Allow') or(candidates, masks[k]!);
    });
    for (const group of this.groups(candidates, masks)) {
      const at = group[0]!;
      const matching = stmts.filter((_, k) => has(masks[k]!, at));
      const patterns = new Set<string>();
      for (const s of matching)
        if (s.layer === 'identity' && s.statement.effect === 'Allow')
          for (const q of patternsOf(s.statement)) patterns.add(q);
      const tried = [...patterns].map((pattern) => ({ pattern, fits: this.fitsOf(pattern) }));
      const decided = new Map<string, boolean>();
      for (const i of group) {
        const format = this.formats.of[i]!;
        for (const { pattern, fits } of tried) {
          if (!this.fitsAt(fits, format, pattern)) continue;
          let allowed = decided.get(pattern);
          if (allowed === undefined)
            decided.set(
              pattern,
              (allowed = decideScope(e, this.index.actions[at]!, pattern, matching) !== undefined),
            );
          if (allowed) {
            bits[i >>> 5]! |= 1 << (i & 31);
            break;
          }
        }
      }
    }
    return { actions: new GrantedSet(this.index, bits), notes: p.notes };
  }

  /** The candidates split by rule key, then by each distinct statement mask: positions in order per group. */
  private groups(candidates: Uint32Array, masks: Mask[]): number[][] {
    const byRule = new Map<number, number[]>();
    for (let w = 0; w < this.words; w++) {
      let word = candidates[w]!;
      while (word !== 0) {
        const low = word & -word;
        const i = (w << 5) + (31 - Math.clz32(low));
        word ^= low;
        const rule = this.rules.of[i]!;
        const group = byRule.get(rule);
        if (group) group.push(i);
        else byRule.set(rule, [i]);
      }
    }
    let groups = [...byRule.values()];
    for (const mask of new Set(masks)) {
      const next: number[][] = [];
      for (const g of groups) {
        const inside = g.filter((i) => has(mask, i));
        if (inside.length === 0 || inside.length === g.length) next.push(g);
        else
          next.push(
            inside,
            g.filter((i) => !has(mask, i)),
          );
      }
      groups = next;
    }
    return groups;
  }

  /** The statement's Action (or NotAction's complement) as a mask, as `access.ts` `stmtsOf` expands it. */
  private maskOf(s: Stmt): Mask {
    const known = this.masks.get(s.actionKey);
    if (known) return known;
    const positions: number[] = [];
    for (const pattern of s.statement.action ?? s.statement.notAction ?? [])
      for (const action of this.index.expandAction(pattern)) {
        const i = this.index.position.get(action);
        if (i !== undefined) positions.push(i);
      }
    const not = s.statement.notAction !== undefined;
    let lo = not ? 0 : this.words;
    let hi = not ? this.words : 0;
    if (!not)
      for (const i of positions) {
        lo = Math.min(lo, i >>> 5);
        hi = Math.max(hi, (i >>> 5) + 1);
      }
    if (hi < lo) lo = hi = 0;
    const mask = { lo, words: new Uint32Array(hi - lo) };
    for (const i of positions) mask.words[(i >>> 5) - lo]! |= 1 << (i & 31);
    if (not) {
      for (let w = 0; w < this.words; w++) mask.words[w] = ~mask.words[w]!;
      const tail = this.index.actions.length & 31;
      if (tail !== 0) mask.words[this.words - 1]! &= (1 << tail) - 1;
    }
    this.masks.set(s.actionKey, mask);
    return mask;
  }

  private fitsOf(pattern: string): Map<number, boolean> {
    let fits = this.fits.get(pattern);
    if (!fits) this.fits.set(pattern, (fits = new Map()));
    return fits;
  }

  private fitsAt(fits: Map<number, boolean>, format: number, pattern: string): boolean {
    let fit = fits.get(format);
    if (fit === undefined) fits.set(format, (fit = patternFitsAction(pattern, this.formats.values[format]!)));
    return fit;
  }
}

function or(into: Uint32Array, mask: Mask): void {
  for (let k = 0; k < mask.words.length; k++) into[mask.lo + k]! |= mask.words[k]!;
}

function has(mask: Mask, i: number): boolean {
  const w = (i >>> 5) - mask.lo;
  return w >= 0 && w < mask.words.length && (mask.words[w]! & (1 << (i & 31))) !== 0;
}
