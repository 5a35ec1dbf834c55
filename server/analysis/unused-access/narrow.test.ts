import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog, type ActionCatalog } from '../../engine/catalog.ts';
import { narrowDocument } from './narrow.ts';

let catalog: ActionCatalog;
beforeAll(async () => {
  catalog = await loadCatalog();
});

const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const statements = (text: string | undefined) =>
  (JSON.parse(text!) as { Statement: Record<string, unknown>[] }).Statement;

describe('narrowDocument', () => {
  it('drops a whole service, keeps `svc:*` for a service kept whole, lists what is kept of a partly dropped one', () => {
    const out = narrowDocument(
      catalog,
      doc({
        Effect: 'Allow',
        Action: '*',
        Resource: '*',
        Condition: { Bool: { 'aws:SecureTransport': 'true' } },
      }),
      (a) => (!a.startsWith('s3:') && !a.startsWith('sqs:')) || a === 'sqs:DeleteQueue',
    );
    const [st] = statements(out.document);
    const actions = st!.Action as string[];
    expect(actions[0]).toBe('s3:*');
    expect(actions).toContain('sqs:SendMessage');
    expect(actions).not.toContain('sqs:DeleteQueue');
    expect(actions.some((a) => a.startsWith('ec2:'))).toBe(false);
    // Conditions and resources are kept.
    expect(st!.Condition).toEqual({ Bool: { 'aws:SecureTransport': 'true' } });
    expect(out.changed).toBe(true);
  });

  it('keeps Deny statements and patterns that lose nothing as written; nothing dropped is no change', () => {
    const text = doc(
      { Effect: 'Allow', Action: ['s3:List*', 'sns:Publish'], Resource: '*' },
      { Effect: 'Deny', Action: 'sns:*', Resource: '*' },
    );
    const out = narrowDocument(catalog, text, (a) => a === 'sns:Publish');
    expect(statements(out.document)).toEqual([
      { Effect: 'Allow', Action: 's3:List*', Resource: '*' },
      { Effect: 'Deny', Action: 'sns:*', Resource: '*' },
    ]);
    expect(narrowDocument(catalog, text, () => false)).toEqual({
      document: JSON.stringify(JSON.parse(text)),
      changed: false,
    });
  });

  it('a NotAction Allow gains the dropped actions, whole services as `svc:*`', () => {
    const out = narrowDocument(
      catalog,
      doc({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }),
      (a) => a.startsWith('ec2:') || a === 's3:DeleteBucket' || a.startsWith('iam:'),
    );
    expect(statements(out.document)[0]!.NotAction).toEqual(['iam:*', 'ec2:*', 's3:DeleteBucket']);
  });

  it('no Allow left: the policy can go', () => {
    expect(
      narrowDocument(catalog, doc({ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*' }), () => true),
    ).toEqual({ changed: true });
  });
});
