import { describe, expect, it } from 'vitest';
import { splitAtStatement } from './policy-text.ts';

const allow = { Effect: 'Allow', Action: 's3:*', Resource: '*' };
const deny = { Sid: 'DenyInsecureTransport', Effect: 'Deny', Action: 's3:*', Resource: '*' };

describe('splitAtStatement', () => {
  it('splits the printed document around the statement, losing nothing', () => {
    const doc = { Version: '2012-10-17', Statement: [allow, deny] };
    const spans = splitAtStatement(doc, 1)!;
    expect(spans.statement).toContain('"Sid": "DenyInsecureTransport"');
    expect(spans.statement.startsWith('{')).toBe(true);
    expect(spans.statement.endsWith('}')).toBe(true);
    expect(spans.before + spans.statement + spans.after).toBe(JSON.stringify(doc, null, 2));
    expect(spans.before).toContain('"Effect": "Allow"');
  });

  it('finds a lone statement object, the right one of two equal statements, and nothing out of range', () => {
    const lone = { Version: '2012-10-17', Statement: allow };
    expect(splitAtStatement(lone, 0)!.statement).toBe(
      JSON.stringify(allow, null, 2).split('\n').join('\n  '),
    );
    const twice = { Statement: [allow, allow] };
    const second = splitAtStatement(twice, 1)!;
    expect(second.before).toContain('"Resource": "*"'); // the first copy is before it
    expect(splitAtStatement(twice, 2)).toBeNull();
    expect(splitAtStatement(null, 0)).toBeNull();
  });
});
