/**
 * Which services a policy's Allow statements could grant an action of: who-can's candidate index files principals
 * under them, and the Neo4j store links each policy to them at load so candidates are read by service.
 */
import { hasWildcard } from './compile/glob.ts';
import type { Policy } from './policy/model.ts';

/** Services a policy's Allow statements could grant: a set of lower-case prefixes, or 'any'. */
export function allowedServices(policy: Policy): Set<string> | 'any' {
  const out = new Set<string>();
  for (const st of policy.statements) {
    if (st.effect !== 'Allow') continue;
    // NotAction allows everything it does not list: every service.
    if (st.notAction) return 'any';
    for (const pattern of st.action ?? []) {
      const colon = pattern.indexOf(':');
      const service = colon < 0 ? pattern : pattern.slice(0, colon);
      // `*`, or a wildcard inside the service prefix: could match any service.
      if (colon < 0 || hasWildcard(service)) return 'any';
      out.add(service.toLowerCase());
    }
  }
  return out;
}
