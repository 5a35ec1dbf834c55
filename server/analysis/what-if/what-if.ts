/**
 * The what-if and drift entry points the API and the CLI call: a change set (as written) against a snapshot, or
 * two snapshots of one account, answered with an `AccessDiff`; and the policy gate that turns a diff into
 * "forbidden" findings (`--fail-on new-access|new-admin|new-path`).
 */
import type { AccountSnapshot } from '../../../schema/snapshot.ts';
import { hasErrors, type Diagnostic } from '../../../schema/diagnostics.ts';
import { loadCatalog } from '../../engine/catalog.ts';
import { parseChanges } from './changes.ts';
import { diffOverlay, diffSnapshots, mostTelling, type AccessDiff, type DiffOptions } from './diff.ts';
import type { Overlay } from './overlay.ts';
import { createGrantSource, type AccessSource } from './grants.ts';
import { adminEquivalence } from '../escalation/admin.ts';
import { SnapshotAnalysis } from '../snapshot-analysis.ts';
import { updateEscalationGraph } from '../escalation/incremental.ts';
import type { EscalationGraph } from '../escalation/graph.ts';
import { escalationGraph } from '../escalation/analysis-graph.ts';
import { deriveAnalysis } from './derive.ts';

export type WhatIfOutcome =
  | {
      ok: true;
      diff: AccessDiff;
      /** Principals the change set can affect (the ones recomputed). */
      affected: string[];
      /** Roles whose trust policy changed. */
      trustChanged: string[];
      /** Access keys made inactive: a leaked one no longer signs requests. */
      keysDeactivated: Overlay['keysDeactivated'];
      /** Warnings (no-op changes, policies detached before a delete). */
      diagnostics: Diagnostic[];
    }
  | { ok: false; diagnostics: Diagnostic[] };

let defaultSource: Promise<AccessSource> | undefined;

/** The escalation graph of a snapshot: its analysis's (read back from the store, or built once). */
export function escalationGraphOf(snapshot: AccountSnapshot): Promise<EscalationGraph> {
  return escalationGraph(SnapshotAnalysis.of(snapshot));
}

/**
 * One grant source per process: its caches are keyed by snapshot object and policy text, so sharing is safe.
 * Admin-equivalence and escalation edges from the escalation analysis; `escalation: false` leaves the edges out (the
 * builder covers the whole account, seconds on a large one, once per snapshot). A what-if's after graph is the
 * before graph updated for the change (`updateEscalationGraph`: only what the change can affect).
 */
export function defaultDiffOptions(options: { escalation?: boolean } = {}): Promise<DiffOptions> {
  defaultSource ??= loadCatalog().then(createGrantSource);
  return defaultSource.then((source) => diffOptionsWith(source, options));
}

/** What `defaultDiffOptions` answers with, around a given grant source (the bench times each run with a fresh one). */
export function diffOptionsWith(source: AccessSource, options: { escalation?: boolean } = {}): DiffOptions {
  // With the graphs, their admin verdicts decide admin-equivalence (diffPrincipals): asking `adminOf` as well
  // would evaluate the probes again for every principal compared, only to be overruled.
  return options.escalation === false
    ? { source, adminOf: (s, p) => adminEquivalence(s, p.arn) }
    : { source, escalation: escalationGraphOf, updateEscalation: (g, o) => updateEscalationGraph(g, o) };
}

/** Parse, apply and diff a change set (JSON as written: `[{ "op": … }, …]`). */
export async function whatIf(
  analysis: SnapshotAnalysis,
  changes: unknown,
  options?: DiffOptions,
): Promise<WhatIfOutcome> {
  const parsed = parseChanges(changes);
  if (!parsed.changes) return { ok: false, diagnostics: parsed.diagnostics };
  const derived = deriveAnalysis(analysis, parsed.changes);
  const diagnostics = [...parsed.diagnostics, ...derived.diagnostics];
  const overlay = derived.after?.derivation?.overlay;
  if (!overlay || hasErrors(diagnostics)) return { ok: false, diagnostics };
  const diff = await diffOverlay(overlay, options ?? (await defaultDiffOptions()));
  return {
    ok: true,
    diff,
    affected: [...overlay.affected].sort(),
    trustChanged: [...overlay.trustChanged].sort(),
    keysDeactivated: overlay.keysDeactivated,
    diagnostics,
  };
}

export class AccountMismatchError extends Error {
  constructor(
    readonly fromAccount: string,
    readonly toAccount: string,
  ) {
    super(
      `the snapshots are of different accounts (\`${fromAccount}\` and \`${toAccount}\`): diff compares one account over time`,
    );
    this.name = 'AccountMismatchError';
  }
}

/** Drift between two snapshots of one account: every principal, every action. */
export async function diffAccount(
  from: SnapshotAnalysis,
  to: SnapshotAnalysis,
  options?: DiffOptions,
): Promise<AccessDiff> {
  const [a, b] = [from.snapshot, to.snapshot];
  if (a.accountId !== b.accountId) throw new AccountMismatchError(a.accountId, b.accountId);
  return diffSnapshots(a, b, options ?? (await defaultDiffOptions()));
}

export const GATES = ['new-access', 'new-admin', 'new-path'] as const;
export type Gate = (typeof GATES)[number];

/**
 * What the diff grants that a gate forbids, one line each; empty = the change passes.
 * - `new-access`: any principal gains an action on a resource, or a CONDITIONAL grant becomes unconditional.
 * - `new-admin`: a principal becomes admin-equivalent (or unconditionally so).
 * - `new-path`: a new escalation edge or fan-out entry, or a principal that can now reach admin through a chain
 *   of them.
 * A gate the diff could not decide (no admin analysis, no escalation graph) is reported as a violation too:
 * a CI gate must not pass silently because the evidence was missing.
 */
export function gateViolations(diff: AccessDiff, gates: readonly Gate[]): string[] {
  const out: string[] = [];
  if (gates.includes('new-access'))
    for (const p of diff.principals) {
      const widened = p.conditional.filter(
        (c) => c.before?.decision === 'CONDITIONAL' && c.after?.decision === 'ALLOWED',
      );
      const gained = [...p.granted, ...widened];
      const e = mostTelling(gained);
      if (e)
        out.push(
          `new-access: ${p.kind} ${p.name} gains ${gained.length} grant(s), e.g. ${e.action} on ${e.resource}`,
        );
    }
  if (gates.includes('new-admin')) {
    if (diff.notes.some((n) => n.startsWith('admin-equivalence not compared')))
      out.push('new-admin: admin-equivalence could not be compared');
    for (const a of diff.admins.gained) out.push(`new-admin: ${a.arn} becomes admin-equivalent (${a.after})`);
  }
  if (gates.includes('new-path')) {
    if (!diff.escalation) out.push('new-path: escalation paths could not be compared');
    else {
      for (const e of diff.escalation.added)
        out.push(`new-path: new edge ${e.from} → ${e.to} (${e.technique})`);
      for (const f of diff.escalation.fanOutAdded)
        out.push(
          `new-path: new fan-out ${f.from} → ${f.targetClass} (${f.targetCount} principals, ${f.technique})`,
        );
      for (const arn of diff.escalation.pathsToAdminGained) out.push(`new-path: ${arn} can now reach admin`);
    }
  }
  return out;
}
