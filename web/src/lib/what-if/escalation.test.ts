import { describe, expect, it } from 'vitest';
import { escalationList } from './escalation.ts';

const acct = 'arn:aws:iam::111122223333';
const bob = `${acct}:user/ops/bob`;
const lambdaAdmin = `${acct}:role/lambda-admin`;

describe('escalationList', () => {
  it('lists added then removed edges by short name (admin as ADMIN) and who gains or loses a path to admin', () => {
    const list = escalationList({
      added: [
        {
          from: bob,
          to: lambdaAdmin,
          kind: 'escalate',
          technique: 'passrole-lambda',
          conditional: false,
          conditions: [],
        },
      ],
      removed: [
        {
          from: lambdaAdmin,
          to: 'accessgraph:admin',
          kind: 'escalate',
          technique: 'admin',
          conditional: true,
          conditions: ['c'],
        },
      ],
      pathsToAdminGained: [bob],
      pathsToAdminLost: [],
    });
    expect(list).toEqual({
      edges: [
        {
          change: 'added',
          from: bob,
          to: lambdaAdmin,
          text: 'bob → lambda-admin',
          technique: 'passrole-lambda',
          conditional: false,
        },
        {
          change: 'removed',
          from: lambdaAdmin,
          to: 'accessgraph:admin',
          text: 'lambda-admin → ADMIN',
          technique: 'admin',
          conditional: true,
        },
      ],
      adminGained: [{ arn: bob, name: 'bob' }],
      adminLost: [],
    });
  });

  it('is null when the server had no escalation graph to compare', () => {
    expect(escalationList(null)).toBeNull();
    expect(escalationList(undefined)).toBeNull();
  });
});
