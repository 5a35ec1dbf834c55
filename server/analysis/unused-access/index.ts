/**
 * Least privilege from evidence: `unusedAccessOf` (what is granted and unused) and `rightsize` (the proposals, each
 * proven by what-if). README.md says how usage is decided.
 */
import type { SnapshotAnalysis } from '../snapshot-analysis.ts';
import { loadCatalog } from '../../engine/index.ts';
import { defaultDiffOptions } from '../what-if/what-if.ts';
import { createGrantSource } from '../what-if/grants.ts';
import type { DiffOptions } from '../what-if/diff.ts';
import { DEFAULT_UNUSED_DAYS } from './evidence.ts';
import { groupProposal, principalProposal, proveBatch, type Proposal } from './rightsize.ts';
import { grantsOf, unusedAccess, type UnusedAccess, type UsageOptions } from './usage.ts';

export type { UnusedAccess, PrincipalUsage, GroupUsage, ServiceUsage, SourceUsage } from './usage.ts';
export type { Proposal, Proof, LostAccess } from './rightsize.ts';
export { DEFAULT_UNUSED_DAYS } from './evidence.ts';
export { groupsNamed, principalsAsked } from './usage.ts';

export async function unusedAccessOf(
  analysis: SnapshotAnalysis,
  options: UsageOptions = {},
): Promise<UnusedAccess> {
  return unusedAccess(await loadCatalog(), analysis, options).answer;
}

export interface Rightsizing {
  usage: UnusedAccess;
  proposals: Proposal[];
  /** What the proofs' what-if runs said beyond the proposals' own principals (knock-on effects, completeness). */
  notes: string[];
}

/**
 * Proposals proven by one what-if run. Within a chunk a path to admin closed only by two proposals together is
 * credited to them; across chunks it shows in neither (each chunk's what-if sees its own changes only).
 */
const PROOF_CHUNK = 1000;

/** Unused access and, for each principal and group that has some, a proposal proven by what-if. */
export async function rightsize(
  analysis: SnapshotAnalysis,
  options: UsageOptions & { diff?: DiffOptions } = {},
): Promise<Rightsizing> {
  const snapshot = analysis.snapshot;
  const catalog = await loadCatalog();
  const unusedDays = options.unusedDays ?? DEFAULT_UNUSED_DAYS;
  const { answer, grants, cache } = unusedAccess(catalog, analysis, options);
  const proposals: Proposal[] = [];
  for (const p of answer.principals) {
    const proposal = principalProposal(cache.index, snapshot, grants.get(p.arn)!, p.keys);
    if (proposal) proposals.push(proposal);
  }
  for (const g of answer.groups) {
    const group = snapshot.groups.find((x) => x.arn === g.arn)!;
    const proposal = groupProposal(
      cache.index,
      snapshot,
      group,
      g.members.map((m) => grants.get(m)!),
    );
    if (proposal) proposals.push(proposal);
  }
  const diff = options.diff ?? (await defaultDiffOptions());
  const effective = (arn: string): { has(action: string): boolean } => {
    let g = grants.get(arn);
    const principal = analysis.lookups.principals.get(arn);
    if (!g && principal) grants.set(arn, (g = grantsOf(catalog, analysis, principal, unusedDays, cache)));
    return g?.actions ?? { has: () => false };
  };
  // Principals' proposals touch only their own entities, groups' only the group: one what-if per kind, in chunks
  // of PROOF_CHUNK proposals beyond that, each with a grant source of its own, which keeps the grants of every
  // principal it compares: dropped with it, they no longer add up over a whole large account.
  const members = (p: Proposal) =>
    p.target.kind === 'group' ? answer.groups.find((g) => g.arn === p.target.arn)!.members : [p.target.arn];
  const notes: string[] = [];
  for (const kind of ['principal', 'group'] as const) {
    const batch = proposals.filter((p) => (p.target.kind === 'group') === (kind === 'group'));
    for (let i = 0; i < batch.length; i += PROOF_CHUNK) {
      const chunk = batch.slice(i, i + PROOF_CHUNK);
      const own = batch.length > PROOF_CHUNK ? { ...diff, source: createGrantSource(catalog) } : diff;
      notes.push(...(await proveBatch(analysis, chunk, members, unusedDays, effective, own)).batchNotes);
    }
  }
  return { usage: answer, proposals, notes: [...new Set(notes)] };
}
