/**
 * The argument checks GraphQL and the CLI share (arguments.ts, principal-ref.ts): what passes, and the message
 * naming what does not (server/cli/commands/eval.test.ts holds the CLI's request file to the same).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { AccountSnapshot } from '../../schema/snapshot.ts';
import { demo, importDemo } from '../../test/api/demo-fixture.ts';
import { actionProblem, dateTimeProblem } from './arguments.ts';
import { resolvePrincipal } from './principal-ref.ts';

describe('actions', () => {
  it('`service:Action` and patterns of one pass; anything else is named in the message', () => {
    for (const ok of ['s3:GetObject', 's3:Put*', 'iam:*', 'sts:AssumeRole'])
      expect(actionProblem(ok)).toBeUndefined();
    for (const bad of ['GetObject', 's3:', ':GetObject', 's3:Get Object', 's3:a:b', ''])
      expect(actionProblem(bad)?.message).toBe(`\`${bad}\` is not \`service:Action\``);
  });
});

describe('date-times', () => {
  it('an ISO 8601 date-time with a zone passes; a date alone, a local time or prose does not', () => {
    for (const ok of ['2026-12-07T12:00:00Z', '2026-12-07T12:00:00.250Z', '2026-12-07T13:00:00+01:00'])
      expect(dateTimeProblem(ok)).toBeUndefined();
    // Date.parse accepts all of these (and read them in the server's time zone): not ISO 8601 date-times.
    for (const bad of [
      '2026-12-07',
      '2026-12-07T12:00:00',
      'Dec 7 2026',
      'yesterday',
      '2026-13-01T00:00:00Z',
    ])
      expect(dateTimeProblem(bad)?.message).toBe(`\`${bad}\` is not an ISO 8601 date-time`);
  });
});

describe('principal references', () => {
  let snapshot: AccountSnapshot;
  beforeAll(async () => {
    snapshot = await importDemo();
  });

  it('an ARN, a name; an unknown name with the names that contain it', () => {
    expect(resolvePrincipal(snapshot, demo.alice)).toMatchObject({
      kind: 'found',
      principal: { name: 'alice' },
    });
    expect(resolvePrincipal(snapshot, 'carol')).toMatchObject({
      kind: 'found',
      principal: { arn: demo.carol },
    });
    expect(resolvePrincipal(snapshot, 'alic')).toEqual({
      kind: 'not-found',
      message: 'no user or role named `alic` in snapshot',
      hint: 'did you mean alice?',
    });
    expect(resolvePrincipal(snapshot, 'zzz')).toEqual({
      kind: 'not-found',
      message: 'no user or role named `zzz` in snapshot',
    });
  });
});
