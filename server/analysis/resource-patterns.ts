/**
 * Which Resource/NotResource patterns a resource ARN matches, as a key. The engine reads a request's resource only
 * through those patterns, the resource's account and the service rules (`ruleDependsOnResource`), so two resources
 * matching the same patterns of every statement that can apply get the same decisions from the same policies.
 * Patterns are case-sensitive IAM globs (reference_policies_elements_resource); one with a policy variable
 * (`${aws:username}`) matches differently per principal, so a resource that it could match (every variable widened
 * to `*`) has no signature.
 */
import { compileGlob, type CompiledPolicySet, type StringPredicate } from '../engine/index.ts';
import { widenVariables } from './arn-patterns.ts';

type CompiledPolicy = CompiledPolicySet['identity'][number];

/** Every compiled policy of a set, all layers. */
export function policiesOf(set: CompiledPolicySet): CompiledPolicy[] {
  return [
    ...set.identity,
    ...(set.boundary ? [set.boundary] : []),
    ...(set.scps?.flat() ?? []),
    ...(set.rcps?.flat() ?? []),
    ...(set.resource ? [set.resource] : []),
    ...(set.session ? [set.session] : []),
    ...(set.endpoint ? [set.endpoint] : []),
  ];
}

/** The distinct resource patterns of the statements, among the policies added, that can apply to one service. */
export class ResourcePatterns {
  readonly #seen = new Set<string>();
  readonly #tests: { matches: StringPredicate; variable: boolean }[] = [];
  /** Copies of one compiled policy (one per attachment) share their statements: each is read once. */
  readonly #read = new Set<unknown>();

  /** `service`: the lower-case prefix of the actions asked about. */
  constructor(readonly service: string) {}

  add(policy: CompiledPolicy | undefined): this {
    if (!policy || this.#read.has(policy.statements)) return this;
    this.#read.add(policy.statements);
    for (const st of policy.candidates(this.service))
      for (const pattern of st.statement.resource ?? st.statement.notResource ?? []) {
        if (this.#seen.has(pattern)) continue;
        this.#seen.add(pattern);
        const widened = widenVariables(pattern);
        this.#tests.push({ matches: compileGlob(widened), variable: widened !== pattern });
      }
    return this;
  }

  /** The positions of the patterns `resource` matches; undefined when a pattern with a variable could match it. */
  signature(resource: string): string | undefined {
    const parts: number[] = [];
    for (let i = 0; i < this.#tests.length; i++) {
      const t = this.#tests[i]!;
      if (!t.matches(resource)) continue;
      if (t.variable) return undefined;
      parts.push(i);
    }
    return parts.join(',');
  }
}
