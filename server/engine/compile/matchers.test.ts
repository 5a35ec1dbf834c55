import { describe, expect, it } from 'vitest';
import { compileActionPatterns } from './action-matcher.ts';
import { compileResourcePatterns } from './arn-matcher.ts';
import { parseTemplate, resolveTemplate } from './variables.ts';
import { matchNotPrincipal, matchPrincipal } from './principal-matcher.ts';
import { parsePrincipal } from '../evaluate/principal.ts';
import type { Lookup } from '../evaluate/context.ts';
import type { PrincipalSpec } from '../policy/model.ts';

const split = (a: string): [string, string] => {
  const l = a.toLowerCase();
  return [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1)];
};

describe('action patterns [reference_policies_elements_action]', () => {
  const table: [string[], string, boolean][] = [
    [['s3:GetObject'], 's3:GetObject', true],
    [['s3:GetObject'], 'S3:GETOBJECT', true], // case-insensitive
    [['s3:GetObject'], 's3:GetObjectAcl', false], // anchored
    [['s3:Get*'], 's3:GetObjectAcl', true],
    [['s3:Get*'], 's3:PutObject', false],
    [['s3:*Object'], 's3:DeleteObject', true],
    [['s3:?etObject'], 's3:GetObject', true],
    [['s3:?etObject'], 's3:GGetObject', false],
    [['*'], 'iam:PassRole', true],
    [['s*:List*'], 'sqs:ListQueues', true],
    [['s*:List*'], 'iam:ListRoles', false],
    [['iam:PassRole', 'ec2:*'], 'ec2:RunInstances', true],
    [['s3:*'], 's3x:GetObject', false], // service prefix is exact
  ];
  it.each(table)('%j vs %s → %s', (patterns, action, want) => {
    const m = compileActionPatterns(patterns);
    expect(m.matches(...split(action))).toBe(want);
  });

  it('indexes literal service prefixes and marks wildcard services as "any"', () => {
    expect(compileActionPatterns(['S3:Get*', 'ec2:Run*']).services).toEqual(['s3', 'ec2']);
    expect(compileActionPatterns(['s3:Get*', 's*:List*']).services).toBeUndefined();
    expect(compileActionPatterns(['*']).services).toBeUndefined();
  });
});

const ctx =
  (values: Record<string, string | string[]>, strict = false) =>
  (k: string): Lookup => {
    const v = Object.entries(values).find(([key]) => key.toLowerCase() === k)?.[1];
    if (v !== undefined) return Array.isArray(v) ? v : [v];
    return strict ? null : undefined;
  };

describe('resource patterns [reference_policies_elements_resource]', () => {
  const table: [string, string, boolean][] = [
    ['*', 'arn:aws:s3:::b/k', true],
    ['arn:aws:s3:::b/*', 'arn:aws:s3:::b/dir/k', true], // * spans "/"
    ['arn:aws:s3:::b*', 'arn:aws:s3:::b/k', true],
    ['arn:aws:iam::*:role/*', 'arn:aws:iam::111122223333:role/a/b', true], // * spans ":" too
    ['arn:aws:s3:::b/?', 'arn:aws:s3:::b/k', true],
    ['arn:aws:s3:::b/?', 'arn:aws:s3:::b/kk', false],
    ['arn:aws:s3:::B/*', 'arn:aws:s3:::b/k', false], // case-sensitive
    ['arn:aws:s3:::b', 'arn:aws:s3:::b/k', false], // anchored
    ['arn:aws:s3:::b.c/(x)', 'arn:aws:s3:::b.c/(x)', true], // regex metacharacters are literal
    ['arn:aws:s3:::b.c/(x)', 'arn:aws:s3:::bxc/(x)', false],
  ];
  it.each(table)('%s vs %s → %s', (p, r, want) => {
    expect(compileResourcePatterns([p], true)(r, ctx({}, true))).toBe(want);
  });

  it('substitutes policy variables; values and escapes are literal', () => {
    const m = compileResourcePatterns(['arn:aws:s3:::b/${aws:username}/*'], true);
    expect(m('arn:aws:s3:::b/alice/x', ctx({ 'aws:username': 'alice' }))).toBe(true);
    expect(m('arn:aws:s3:::b/bob/x', ctx({ 'aws:username': 'alice' }))).toBe(false);
    // A value containing "*" does not become a wildcard.
    expect(m('arn:aws:s3:::b/anything/x', ctx({ 'aws:username': '*' }))).toBe(false);
    expect(compileResourcePatterns(['arn:aws:s3:::b/${*}'], true)('arn:aws:s3:::b/*', ctx({}))).toBe(true);
    expect(compileResourcePatterns(['arn:aws:s3:::b/${*}'], true)('arn:aws:s3:::b/x', ctx({}))).toBe(false);
  });

  it('an unknown variable gives a residual; an absent one matches nothing; defaults fill in', () => {
    const m = compileResourcePatterns(['arn:aws:s3:::b/${aws:PrincipalTag/team}/*'], true);
    expect(m('arn:aws:s3:::b/x/y', ctx({}))).toEqual({
      operator: 'ResourceMatches',
      key: 'Resource',
      values: ['arn:aws:s3:::b/${aws:PrincipalTag/team}/*'],
      variables: ['aws:PrincipalTag/team'],
    });
    expect(m('arn:aws:s3:::b/x/y', ctx({}, true))).toBe(false);
    // No value of the key can make `…/b/${team}/*` match a resource outside b/: no residual, just no match.
    expect(m('arn:aws:s3:::c/x/y', ctx({}))).toBe(false);
    const d = compileResourcePatterns(["arn:aws:s3:::b/${aws:PrincipalTag/team, 'none'}/*"], true);
    expect(d('arn:aws:s3:::b/none/y', ctx({}, true))).toBe(true);
  });

  it('under 2008-10-17 ${…} is literal text [reference_policies_variables]', () => {
    const m = compileResourcePatterns(['arn:aws:s3:::b/${aws:username}'], false);
    expect(m('arn:aws:s3:::b/${aws:username}', ctx({ 'aws:username': 'alice' }))).toBe(true);
    expect(m('arn:aws:s3:::b/alice', ctx({ 'aws:username': 'alice' }))).toBe(false);
  });

  it('template parsing handles defaults with spaces and the three escapes', () => {
    expect(parseTemplate("a${aws:username , 'x y'}b${$}${?}", true).parts).toEqual([
      { kind: 'glob', text: 'a' },
      { kind: 'var', key: 'aws:username', keyLower: 'aws:username', fallback: 'x y' },
      { kind: 'glob', text: 'b' },
      { kind: 'literal', text: '$' },
      { kind: 'literal', text: '?' },
    ]);
    expect(
      resolveTemplate(parseTemplate('${aws:TagKeys}', true), ctx({ 'aws:TagKeys': ['a', 'b'] }, true)),
    ).toEqual({ state: 'absent' });
  });
});

const spec = (p: Partial<PrincipalSpec>): PrincipalSpec => ({
  any: false,
  aws: [],
  service: [],
  federated: [],
  canonicalUser: [],
  ...p,
});

describe('Principal matching [reference_policies_elements_principal]', () => {
  const user = parsePrincipal('arn:aws:iam::111122223333:user/alice');
  const session = parsePrincipal('arn:aws:sts::111122223333:assumed-role/app/s1');
  const other = parsePrincipal('arn:aws:iam::444455556666:user/bob');
  const svc = parsePrincipal('lambda.amazonaws.com');
  const anon = parsePrincipal('*');
  const table: [string, PrincipalSpec, ReturnType<typeof parsePrincipal>, string][] = [
    ['"*" matches users', spec({ any: true }), user, 'any'],
    ['"*" matches anonymous callers', spec({ any: true }), anon, 'any'],
    ['"*" matches service principals', spec({ any: true }), svc, 'any'],
    [
      'the user ARN names the user directly',
      spec({ aws: ['arn:aws:iam::111122223333:user/alice'] }),
      user,
      'direct',
    ],
    ['the account id means the account', spec({ aws: ['111122223333'] }), user, 'account'],
    ['the root ARN means the account', spec({ aws: ['arn:aws:iam::111122223333:root'] }), session, 'account'],
    ['another account does not match', spec({ aws: ['111122223333'] }), other, 'none'],
    [
      'a role ARN (with path) matches its sessions',
      spec({ aws: ['arn:aws:iam::111122223333:role/svc/app'] }),
      session,
      'role',
    ],
    [
      'the session ARN names the session directly',
      spec({ aws: ['arn:aws:sts::111122223333:assumed-role/app/s1'] }),
      session,
      'direct',
    ],
    [
      'another session of the role does not match by session ARN',
      spec({ aws: ['arn:aws:sts::111122223333:assumed-role/app/s2'] }),
      session,
      'none',
    ],
    ['a service principal', spec({ service: ['lambda.amazonaws.com'] }), svc, 'direct'],
    ['a service entry does not match users', spec({ service: ['lambda.amazonaws.com'] }), user, 'none'],
    ['the account does not include service principals', spec({ aws: ['111122223333'] }), svc, 'none'],
    [
      'the strongest match wins',
      spec({ aws: ['111122223333', 'arn:aws:iam::111122223333:user/alice'] }),
      user,
      'direct',
    ],
  ];
  it.each(table)('%s', (_n, s, p, want) => {
    expect(matchPrincipal(s, p)).toBe(want);
  });

  it('NotPrincipal applies to everyone not listed; a role ARN does not exclude its sessions', () => {
    expect(matchNotPrincipal(spec({ aws: ['arn:aws:iam::111122223333:user/alice'] }), user)).toBe('none');
    expect(matchNotPrincipal(spec({ aws: ['arn:aws:iam::111122223333:user/alice'] }), other)).toBe('any');
    expect(matchNotPrincipal(spec({ aws: ['arn:aws:iam::111122223333:role/app'] }), session)).toBe('any');
    expect(matchNotPrincipal(spec({ aws: ['arn:aws:sts::111122223333:assumed-role/app/s1'] }), session)).toBe(
      'none',
    );
  });
});
