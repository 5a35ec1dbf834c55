import { describe, expect, it } from 'vitest';
import type { GraphView } from '../api/results.ts';
import {
  decodeChange,
  diagnosticsFor,
  drawChanges,
  encodeChange,
  fromApiChange,
  resolveNode,
  rowsOf,
  toChangeInputs,
  type ChangeInput,
  type ChangeRow,
} from './changes.ts';

const acct = 'arn:aws:iam::111122223333';
const qa = `${acct}:group/QA`;
const dave = `${acct}:user/dave`;
const bob = `${acct}:user/ops/bob`;
const s3ro = 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess';
const view: GraphView = {
  nodes: [
    { id: qa, kind: 'GROUP', label: 'QA' },
    { id: dave, kind: 'USER', label: 'dave' },
    { id: bob, kind: 'USER', label: 'bob' },
    { id: s3ro, kind: 'POLICY', label: 'AmazonS3ReadOnlyAccess' },
  ],
  edges: [
    { source: dave, target: qa, kind: 'MEMBER_OF' },
    { source: qa, target: s3ro, kind: 'HAS_POLICY' },
  ],
};

describe('toChangeInputs', () => {
  it('maps policy and membership rows to the API fields, skips blank rows, names a missing field', () => {
    const rows: ChangeRow[] = [
      { op: 'attachPolicy', subject: ' AmazonS3FullAccess ', object: 'group/QA' },
      { op: 'addUserToGroup', subject: 'bob', object: 'QA' },
      { op: 'detachPolicy', subject: '', object: '' },
      { op: 'removeUserFromGroup', subject: 'dave', object: '' },
    ];
    expect(toChangeInputs(rows)).toEqual({
      changes: [
        { op: 'attachPolicy', policy: 'AmazonS3FullAccess', target: 'group/QA' },
        { op: 'addUserToGroup', user: 'bob', group: 'QA' },
      ],
      errors: ['Change 4 (remove user from group): the group is missing'],
    });
  });
});

describe('URL form', () => {
  it('round-trips a change and rejects unknown operations and malformed text', () => {
    const row: ChangeRow = {
      op: 'attachPolicy',
      subject: 'arn:aws:iam::aws:policy/X',
      object: `${acct}:role/r`,
    };
    expect(decodeChange(encodeChange(row))).toEqual(row);
    expect(decodeChange('deleteEverything|a|b')).toBeNull();
    expect(decodeChange('attachPolicy|a')).toBeNull();
    expect(decodeChange('attachPolicy|a|b|c')).toBeNull();
  });
});

describe('resolveNode', () => {
  it('finds by ARN, by `kind/path/name`, by bare name, only among the kinds asked', () => {
    expect(resolveNode(view.nodes, qa, ['GROUP'])?.id).toBe(qa);
    expect(resolveNode(view.nodes, 'user/ops/bob', ['USER'])?.id).toBe(bob);
    expect(resolveNode(view.nodes, 'dave', ['USER'])?.id).toBe(dave);
    expect(resolveNode(view.nodes, 'dave', ['GROUP'])).toBeNull();
  });
});

describe('drawChanges', () => {
  it('adds the attachment (an AWS managed policy the account does not use yet as a new node) and the membership', () => {
    const d = drawChanges(view, [
      { op: 'attachPolicy', subject: 'AmazonS3FullAccess', object: 'group/QA' },
      { op: 'addUserToGroup', subject: 'bob', object: 'QA' },
      { op: 'addUserToGroup', subject: 'dave', object: 'QA' }, // already a member: nothing to draw
    ]);
    const s3full = 'arn:aws:iam::aws:policy/AmazonS3FullAccess';
    expect(d.added).toEqual([
      { source: qa, target: s3full, kind: 'HAS_POLICY' },
      { source: bob, target: qa, kind: 'MEMBER_OF' },
    ]);
    expect(d.graph.nodes.find((n) => n.id === s3full)).toEqual({
      id: s3full,
      kind: 'POLICY',
      label: 'AmazonS3FullAccess',
    });
    expect(d.graph.edges).toHaveLength(4);
    expect(d.removed).toEqual([]);
  });

  it('marks detached and removed edges without dropping them, and ignores what does not exist', () => {
    const d = drawChanges(view, [
      { op: 'detachPolicy', subject: 'AmazonS3ReadOnlyAccess', object: 'QA' },
      { op: 'removeUserFromGroup', subject: 'dave', object: 'group/QA' },
      { op: 'removeUserFromGroup', subject: 'bob', object: 'QA' },
    ]);
    expect(d.removed).toEqual([
      { source: qa, target: s3ro, kind: 'HAS_POLICY' },
      { source: dave, target: qa, kind: 'MEMBER_OF' },
    ]);
    expect(d.graph).toEqual(view);
  });
});

describe('inline policies', () => {
  const doc =
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"a|b"}]}';

  it('map to putInlinePolicy with a default name, and name what is missing', () => {
    expect(
      toChangeInputs([
        { op: 'putInlinePolicy', subject: 'group/QA', object: '', document: ` ${doc} ` },
        { op: 'putInlinePolicy', subject: 'group/QA', object: 'x', document: ' ' },
        { op: 'putInlinePolicy', subject: '', object: '', document: doc },
      ]),
    ).toEqual({
      changes: [{ op: 'putInlinePolicy', target: 'group/QA', name: 'what-if', document: doc }],
      errors: [
        'Change 2 (put inline policy): the policy JSON is missing',
        'Change 3 (put inline policy): the user, group or role is missing',
      ],
    });
  });

  it('round-trip through the URL with a document holding `|`, and draw no edge', () => {
    const row: ChangeRow = { op: 'putInlinePolicy', subject: 'group/QA', object: 'p', document: doc };
    expect(decodeChange(encodeChange(row))).toEqual(row);
    expect(decodeChange('putInlinePolicy|group/QA|p')).toBeNull();
    expect(drawChanges(view, [row])).toEqual({ graph: view, added: [], removed: [] });
  });

  it("pick the server's diagnostics about one change by JSON path", () => {
    const diags = [
      { message: 'a', jsonPath: 'changes[1].document.Statement[0].Effect' },
      { message: 'b', jsonPath: 'changes[10].group' },
      { message: 'c', jsonPath: 'changes[1]' },
      { message: 'd', jsonPath: null },
    ];
    expect(diagnosticsFor(diags, 1).map((d) => d.message)).toEqual(['a', 'c']);
    expect(diagnosticsFor(diags, 0)).toEqual([]);
  });
});

describe('the operations of a right-sizing change set', () => {
  const doc =
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}';
  // Every operation a rightsize proposal uses: a narrowed copy replacing a managed policy, and the rest.
  const changes: ChangeInput[] = [
    { op: 'createPolicy', name: 'ReadOnly-QA', path: '/rightsized/', document: doc },
    {
      op: 'attachPolicy',
      policy: 'arn:aws:iam::111122223333:policy/rightsized/ReadOnly-QA',
      target: 'group/QA',
    },
    { op: 'detachPolicy', policy: 'AmazonS3ReadOnlyAccess', target: 'group/QA' },
    { op: 'deleteInlinePolicy', target: 'user/dave', name: 'old' },
    { op: 'updatePolicy', policy: 'arn:aws:iam::111122223333:policy/Team', document: doc },
    { op: 'removeUserFromGroup', user: 'dave', group: 'QA' },
    {
      op: 'deactivateAccessKey',
      user: 'arn:aws:iam::111122223333:user/service-accounts/svc-deploy',
      slot: 2,
    },
    { op: 'deactivateAccessKey', user: 'dave', accessKeyId: 'AKIAIOSFODNN7EXAMPLE' },
  ];

  it('become form rows and back into the same changes, and survive the URL', () => {
    const rows = rowsOf(changes);
    expect(rows.map((r) => r.op)).toEqual(changes.map((c) => c.op));
    expect(toChangeInputs(rows)).toEqual({ changes, errors: [] });
    for (const row of rows) expect(decodeChange(encodeChange(row))).toEqual(row);
  });

  it('name what is missing, and a document op without its document is no change', () => {
    expect(
      toChangeInputs([
        { op: 'createPolicy', subject: 'P', object: '' },
        { op: 'updatePolicy', subject: '', object: '', document: doc },
      ]),
    ).toEqual({
      changes: [],
      errors: [
        'Change 1 (create managed policy): the policy JSON is missing',
        'Change 2 (update managed policy): the policy is missing',
      ],
    });
    expect(decodeChange('createPolicy|P|/')).toBeNull();
  });

  it('draw only the detach and the removal, not the documents', () => {
    const drawn = drawChanges(view, rowsOf(changes));
    expect(drawn.added).toEqual([]);
    expect(drawn.removed).toEqual([
      { source: qa, target: s3ro, kind: 'HAS_POLICY' },
      { source: dave, target: qa, kind: 'MEMBER_OF' },
    ]);
  });
});

describe('updatePolicy', () => {
  const row: ChangeRow = {
    op: 'updatePolicy',
    subject: 'ReportsReadOnly',
    object: '',
    document: '{"a": "|"}',
  };

  it('takes the policy and its new document, round-trips through the URL, and draws no edge', () => {
    expect(toChangeInputs([row])).toEqual({
      changes: [{ op: 'updatePolicy', policy: 'ReportsReadOnly', document: '{"a": "|"}' }],
      errors: [],
    });
    expect(toChangeInputs([{ ...row, document: ' ' }]).errors).toEqual([
      'Change 1 (update managed policy): the policy JSON is missing',
    ]);
    expect(decodeChange(encodeChange(row))).toEqual(row);
    expect(drawChanges(view, [{ ...row, subject: s3ro, object: qa }]).added).toEqual([]);
  });
});

describe('deactivateAccessKey', () => {
  it('takes the user and a key id, or the credential report slot 1 or 2, and names what is missing', () => {
    expect(
      toChangeInputs([
        { op: 'deactivateAccessKey', subject: 'user/bob', object: 'AKIAIOSFODNN7EXAMPLE' },
        { op: 'deactivateAccessKey', subject: 'bob', object: ' 1 ' },
        { op: 'deactivateAccessKey', subject: 'bob', object: '' },
        { op: 'deactivateAccessKey', subject: '', object: '2' },
      ]),
    ).toEqual({
      changes: [
        { op: 'deactivateAccessKey', user: 'user/bob', accessKeyId: 'AKIAIOSFODNN7EXAMPLE' },
        { op: 'deactivateAccessKey', user: 'bob', slot: 1 },
      ],
      errors: [
        'Change 3 (deactivate access key): the access key is missing',
        'Change 4 (deactivate access key): the user is missing',
      ],
    });
    expect(decodeChange('deactivateAccessKey|bob|2')).toEqual({
      op: 'deactivateAccessKey',
      subject: 'bob',
      object: '2',
    });
  });

  it('keeps a slot other than 1 or 2 as a key id, for the server to refuse with its JSON path', () => {
    expect(toChangeInputs([{ op: 'deactivateAccessKey', subject: 'bob', object: '3' }]).changes).toEqual([
      { op: 'deactivateAccessKey', user: 'bob', accessKeyId: '3' },
    ]);
  });
});

describe('plan changes', () => {
  it('drops the nulls of the API, and shows the attach and membership changes as form rows', () => {
    const fromApi: Parameters<typeof fromApiChange>[0][] = [
      { op: 'attachPolicy', policy: s3ro, target: 'group/QA', name: null, document: null, user: null },
      { op: 'createRole', name: 'app', document: '{}', path: null },
      { op: 'removeUserFromGroup', user: 'dave', group: 'QA', target: null },
      { op: 'putResourcePolicy', resource: 'example-corp-reports', document: '{}', target: null },
      {
        op: 'addLambdaPermission',
        function: 'order-processor',
        statementId: 'url',
        action: 'lambda:InvokeFunctionUrl',
        principal: '*',
        functionUrlAuthType: 'NONE',
        invokedViaFunctionUrl: null,
        sourceArn: null,
      },
    ];
    const changes = fromApi.map(fromApiChange);
    expect(changes).toEqual([
      { op: 'attachPolicy', policy: s3ro, target: 'group/QA' },
      { op: 'createRole', name: 'app', document: '{}' },
      { op: 'removeUserFromGroup', user: 'dave', group: 'QA' },
      // A plan's bucket policy keeps the resource it names (whatIf refuses the change without it).
      { op: 'putResourcePolicy', resource: 'example-corp-reports', document: '{}' },
      // A plan's Lambda permission keeps AddPermission's parameters.
      {
        op: 'addLambdaPermission',
        function: 'order-processor',
        statementId: 'url',
        action: 'lambda:InvokeFunctionUrl',
        principal: '*',
        functionUrlAuthType: 'NONE',
      },
    ]);
    expect(rowsOf(changes)).toEqual([
      { op: 'attachPolicy', subject: s3ro, object: 'group/QA' },
      { op: 'removeUserFromGroup', subject: 'dave', object: 'QA' },
    ]);
  });
});
