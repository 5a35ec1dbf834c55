/**
 * Every importer source, in the order importBundle runs them (importers/README.md, "Adding a source"). A new
 * kind of file in an account's directory is one more entry in ACCOUNT_SOURCES; a foreign tree that converts to
 * the bundle layout is one more entry in BUNDLE_FORMATS. The GAAD and the organization run first, as fixed
 * stages of importBundle: the account checks read them.
 */
import type { Diagnostic } from '../../schema/diagnostics.ts';
import { readBundle, type Bundle, type BundleFile } from '../bundle/read-bundle.ts';
import { DEFAULT_LIMITS, type Limits } from '../limits.ts';
import type { AccountSource, BundleFormat } from './source.ts';
import { gaadSource } from './gaad/source.ts';
import { iamCollectFormat } from './iam-collect/convert.ts';
import { credentialReportSource } from './credential-report/source.ts';
import { passwordPolicySource } from './password-policy/source.ts';
import { resourcePoliciesSource } from './resource-policies/source.ts';
import { vpcEndpointsSource } from './vpc-endpoints/source.ts';
import { lastAccessedSource } from './last-accessed/source.ts';

export const BUNDLE_FORMATS: readonly BundleFormat[] = [iamCollectFormat];

/** Each source's parsed value only ever reaches its own normalize, so the list holds them as `unknown`. */
export const ACCOUNT_SOURCES: readonly AccountSource<unknown>[] = [
  credentialReportSource,
  passwordPolicySource,
  resourcePoliciesSource,
  vpcEndpointsSource,
  lastAccessedSource,
];

/**
 * readBundle, then the first BUNDLE_FORMATS entry recognizing the files converts them; a bundle without any
 * GAAD page is an error. `pages` are the GAAD pages found anywhere in it.
 */
export async function openBundle(
  bundlePath: string,
  limits: Limits = DEFAULT_LIMITS,
): Promise<{ bundle?: Bundle; pages: BundleFile[]; diagnostics: Diagnostic[] }> {
  const read = await readBundle(bundlePath, limits);
  if (!read.bundle) return { pages: [], diagnostics: read.diagnostics };
  let bundle = read.bundle;
  const diagnostics = [...read.diagnostics];
  const format = BUNDLE_FORMATS.find((f) => f.recognize(bundle.files, bundle.root));
  if (format) {
    const converted = format.convert(bundle.files, bundle.root);
    diagnostics.push(...converted.diagnostics);
    bundle = { ...bundle, files: converted.files };
    if (converted.diagnostics.some((d) => d.severity === 'error')) return { bundle, pages: [], diagnostics };
  }
  const pages = bundle.kind === 'file' ? bundle.files : bundle.files.filter((f) => gaadSource.isPage(f.path));
  if (pages.length === 0)
    diagnostics.push({
      severity: 'error',
      code: 'bundle.no-gaad',
      message: `no \`*authorization-details*.json\` in \`${bundlePath}\``,
      file: bundlePath,
      hint: 'run `aws iam get-account-authorization-details --output json > authorization-details.json` in the bundle directory',
    });
  return { bundle, pages, diagnostics };
}
