/** The `resource-policies/` outputs of an account (bundle/layout.ts) as an account source. */
import { RESOURCE_POLICIES } from '../../bundle/layout.ts';
import type { Diagnostic } from '../../../schema/diagnostics.ts';
import type { AccountSource } from '../source.ts';
import { parseResourcePolicyFiles, type ResourcePolicyFile } from './parse.ts';
import { normalizeResourcePolicies } from './normalize.ts';

/**
 * Files are parsed by their path inside the account (the layout's patterns match it); `shown` maps that path
 * back to the bundle path diagnostics and `sourceFiles` show.
 */
export const resourcePoliciesSource: AccountSource<{
  files: ResourcePolicyFile[];
  shown: Map<string, string>;
}> = {
  name: 'resource-policy',
  select: (files) => files.filter((f) => f.relative.startsWith(`${RESOURCE_POLICIES.dir}/`)),
  parse(files, limits) {
    const shown = new Map(files.map((f) => [f.relative, f.path]));
    const r = parseResourcePolicyFiles(
      files.map((f) => ({ ...f, path: f.relative })),
      limits,
    );
    return { parsed: { files: r.parsed, shown }, diagnostics: showPaths(r.diagnostics, shown) };
  },
  normalize({ files, shown }, account) {
    const r = normalizeResourcePolicies(files, account.accountId, account.partition);
    return {
      account: {
        ...account,
        resources: [...account.resources, ...r.resources],
        sourceFiles: [...account.sourceFiles, ...files.map((p) => shown.get(p.file) ?? p.file)],
      },
      diagnostics: showPaths(r.diagnostics, shown),
    };
  },
};

function showPaths(ds: Diagnostic[], shown: Map<string, string>): Diagnostic[] {
  return ds.map((d) => (d.file !== undefined ? { ...d, file: shown.get(d.file) ?? d.file } : d));
}
