/** `password-policy.json` at the account's root as an account source. */
import { PASSWORD_POLICY } from '../../bundle/layout.ts';
import type { Diagnostic } from '../../../schema/diagnostics.ts';
import type { AccountSource } from '../source.ts';
import type { PasswordPolicyOutput } from './password-policy.shape.ts';
import { parsePasswordPolicy } from './parse.ts';
import { normalizePasswordPolicy } from './normalize.ts';

export const passwordPolicySource: AccountSource<{ file: string; output: PasswordPolicyOutput }[]> = {
  name: 'password-policy',
  select: (files) => files.filter((f) => f.relative === PASSWORD_POLICY),
  parse(files, limits) {
    const diagnostics: Diagnostic[] = [];
    const parsed: { file: string; output: PasswordPolicyOutput }[] = [];
    for (const f of files) {
      const r = parsePasswordPolicy(f.text, f.path, limits);
      diagnostics.push(...r.diagnostics);
      if (r.output) parsed.push({ file: f.path, output: r.output });
    }
    return { parsed, diagnostics };
  },
  // Several bundle paths of one account may each hold one: the last is kept.
  normalize: (parsed, account) => ({
    account: parsed.reduce(
      (a, p) => ({
        ...a,
        passwordPolicy: normalizePasswordPolicy(p.output),
        sourceFiles: [...a.sourceFiles, p.file],
      }),
      account,
    ),
    diagnostics: [],
  }),
};
