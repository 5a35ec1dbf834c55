import { compileGlob, hasWildcard, type StringPredicate } from './glob.ts';

/**
 * Action patterns (reference_policies_elements_action): `service:Action`, case-insensitive, `*` and `?`
 * wildcards; `*` alone is every action of every service. Requests are pre-split into (service, name), lower-case.
 */
export interface ActionMatcher {
  /** Service prefixes this matcher can match, lower-case; undefined = any service (index under "any"). */
  services?: string[];
  matches(serviceLower: string, nameLower: string): boolean;
}

interface Pattern {
  service: StringPredicate;
  serviceLiteral?: string;
  name: StringPredicate;
}

export function compileActionPatterns(patterns: readonly string[]): ActionMatcher {
  const compiled: Pattern[] = [];
  let anyService = false;
  for (const raw of patterns) {
    const p = raw.toLowerCase();
    if (p === '*') {
      compiled.push({ service: () => true, name: () => true });
      anyService = true;
      continue;
    }
    const colon = p.indexOf(':');
    const svc = colon < 0 ? p : p.slice(0, colon);
    const name = colon < 0 ? '' : p.slice(colon + 1);
    const wild = hasWildcard(svc);
    if (wild) anyService = true;
    compiled.push({
      service: compileGlob(svc),
      ...(wild ? {} : { serviceLiteral: svc }),
      name: compileGlob(name),
    });
  }
  const services = anyService ? undefined : [...new Set(compiled.map((c) => c.serviceLiteral!))];
  if (compiled.length === 1) {
    const only = compiled[0]!;
    return { ...(services ? { services } : {}), matches: (s, n) => only.service(s) && only.name(n) };
  }
  return {
    ...(services ? { services } : {}),
    matches: (s, n) => {
      for (const c of compiled) if (c.service(s) && c.name(n)) return true;
      return false;
    },
  };
}
