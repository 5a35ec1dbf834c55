import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../engine/index.ts';
import { ActionIndex, GrantedSet } from './granted-set.ts';

describe('GrantedSet', () => {
  it('lists each service once, in order, with exactly the granted actions in the services section order', async () => {
    const catalog = await loadCatalog();
    const index = new ActionIndex(catalog);
    const s3 = catalog.expandAction('s3:*');
    const picked = ['sqs:SendMessage', ...s3, 'iam:GetRole', 'not:AnAction'];
    const set = new GrantedSet(index, picked);
    const services = [...set.services()].map(([s]) => s);
    expect(services).toEqual(['iam', 's3', 'sqs']);
    const range = index.services.get('s3')!;
    // s3 spans many 32-bit words: every action comes back, none twice, none of another service.
    const back = [...set.within(range)].map((i) => index.actions[i]);
    expect(back.sort()).toEqual([...s3].sort());
    expect([...set.within(index.services.get('sqs')!)].map((i) => index.actions[i])).toEqual([
      'sqs:SendMessage',
    ]);
    expect(set.has('iam:GetRole')).toBe(true);
    expect(set.has('iam:PassRole')).toBe(false);
    expect(set.has('not:AnAction')).toBe(false);
  });

  it('orders a service by access level, then action', async () => {
    const index = new ActionIndex(await loadCatalog());
    const { start, end } = index.services.get('iam')!;
    const ranks = ['Read', 'Write', 'List', 'Tagging', 'Permissions management'];
    for (let i = start + 1; i < end; i++) {
      const a = ranks.indexOf(index.levels[i - 1]!);
      const b = ranks.indexOf(index.levels[i]!);
      expect(a < b || (a === b && index.actions[i - 1]! < index.actions[i]!)).toBe(true);
    }
  });
});
