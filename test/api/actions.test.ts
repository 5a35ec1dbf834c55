/**
 * `actions(prefix, first)` through GraphQL: the autocomplete of the who-can form. The query reads only the action
 * catalog, never the store, so one store is enough here.
 */
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../server/graph/memory/memory-store.ts';
import { queryApi } from './api-fixture.ts';

const QUERY = `query($prefix: String!, $first: Int) {
  actions(prefix: $prefix, first: $first) {
    __typename
    ... on Error { message }
    ... on ActionPage { totalCount items { action service accessLevel resourceTypes } }
  }
}`;

async function actions(prefix: string, first?: number) {
  const { body } = await queryApi(createMemoryStore(), QUERY, { prefix, first });
  return body.data.actions;
}

describe('actions query', () => {
  it('completes a partial action name case-insensitively, in the reference casing, with access level', async () => {
    const page = await actions('s3:getobjectv', 5);
    expect(page.__typename).toBe('ActionPage');
    const names: string[] = page.items.map((a: any) => a.action);
    // The catalog grows with AWS, so assert the shape of the answer rather than today's list.
    expect(names).toHaveLength(5);
    expect(names[0]).toBe('s3:GetObjectVersion');
    expect(names.every((n) => n.startsWith('s3:GetObjectVersion'))).toBe(true);
    expect([...names].sort()).toEqual(names);
    expect(page.totalCount).toBeGreaterThan(5); // ...Tagging, ...Torrent and more past the page
    expect(page.items[0]).toMatchObject({ service: 's3', accessLevel: 'Read' });
    expect(page.items[0].resourceTypes).toContain('object');
  });

  it('without a colon matches service prefixes, not action names', async () => {
    const page = await actions('sn', 100);
    const services = new Set(page.items.map((a: any) => a.action.split(':')[0]));
    expect([...services].every((s) => (s as string).startsWith('sn'))).toBe(true);
    expect(services.has('sns')).toBe(true);
    // `GetObject` is an action name, not a service prefix.
    expect((await actions('GetObject')).totalCount).toBe(0);
  });

  it('answers blank text with nothing and an out-of-range page size with InvalidArgument', async () => {
    expect(await actions('  ')).toEqual({ __typename: 'ActionPage', totalCount: 0, items: [] });
    const bad = await actions('s3:', 0);
    expect(bad.__typename).toBe('InvalidArgument');
    expect(bad.message).toMatch(/between 1 and 100/);
  });
});
