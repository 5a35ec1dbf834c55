/**
 * What a person types for "a principal": an ARN, a user or role name (`bob`), or an access key id
 * (`AKIA…`, found through the users' credential-report keys). Resolved against one snapshot; an ambiguous name
 * (a user and a role both called `deploy`) is an answer listing the candidates, never a silent pick; an unknown
 * name comes with the names that contain it (`alic` → alice). GraphQL and the CLI both resolve through here.
 */
import type { AccountSnapshot, Principal } from '../../schema/snapshot.ts';

export type PrincipalRef =
  | { kind: 'found'; principal: Principal; accessKey?: { id: string; slot: number; active: boolean } }
  | { kind: 'not-found'; message: string; hint?: string }
  | { kind: 'ambiguous'; message: string; candidates: string[] };

/** Access key ids: 20 characters, `AKIA` (long-term) or `ASIA` (temporary); ids_user-unique-ids. */
export const ACCESS_KEY_ID = /^A[KS]IA[A-Z0-9]{16}$/;

export function resolvePrincipal(snapshot: AccountSnapshot, ref: string): PrincipalRef {
  const all: Principal[] = [...snapshot.users, ...snapshot.roles];
  if (ACCESS_KEY_ID.test(ref)) return resolveAccessKey(snapshot, ref);
  if (ref.startsWith('arn:')) {
    const p = all.find((x) => x.arn === ref);
    return p
      ? { kind: 'found', principal: p }
      : { kind: 'not-found', message: `no user or role \`${ref}\` in snapshot` };
  }
  const named = all.filter((x) => x.name === ref);
  if (named.length === 1) return { kind: 'found', principal: named[0]! };
  if (named.length > 1)
    return {
      kind: 'ambiguous',
      message: `\`${ref}\` names ${named.length} principals: give the ARN`,
      candidates: named.map((p) => p.arn),
    };
  const near = all.filter((x) => x.name.toLowerCase().includes(ref.toLowerCase())).slice(0, 5);
  return {
    kind: 'not-found',
    message: `no user or role named \`${ref}\` in snapshot`,
    ...(near.length ? { hint: `did you mean ${near.map((p) => p.name).join(', ')}?` } : {}),
  };
}

export function resolveAccessKey(snapshot: AccountSnapshot, keyId: string): PrincipalRef {
  for (const u of snapshot.users) {
    const key = u.credentials?.accessKeys.find((k) => k.id === keyId);
    if (key)
      return { kind: 'found', principal: u, accessKey: { id: keyId, slot: key.slot, active: key.active } };
  }
  return {
    kind: 'not-found',
    message:
      `no user owns access key \`${keyId}\` in snapshot` +
      (snapshot.users.some((u) => u.credentials)
        ? ''
        : ' (no credential data was imported: key ids are unknown)'),
  };
}
