import type { Diagnostic } from '../../schema/diagnostics.ts';
import { parsePolicy } from '../../server/engine/index.ts';
import { DEFAULT_LIMITS, limitHint } from '../limits.ts';
import { scanJson, type JsonLimits } from './json-text.ts';

/**
 * Policy documents arrive in three encodings (docs/architecture.md, "real-world quirks"):
 * - a JSON object: the AWS CLI and boto3 decode the document for you;
 * - a URL-encoded JSON string: the raw IAM API returns documents "URL-encoded compliant with RFC 3986"
 *   (API_PolicyVersion, API_RoleDetail: `AssumeRolePolicyDocument`), and the JavaScript SDK v3 passes it on as is;
 * - a plain JSON string: Organizations `Content`, `s3api get-bucket-policy`'s `Policy`.
 * All become the snapshot's canonical form: `JSON.stringify` of the parsed object.
 */
export type DecodedDocument =
  | { ok: true; json: string; value: Record<string, unknown> }
  | { ok: false; code: string; message: string; hint?: string };

export function decodePolicyDocument(raw: unknown, limits: JsonLimits = DEFAULT_LIMITS): DecodedDocument {
  if (isPlainObject(raw)) return { ok: true, json: JSON.stringify(raw), value: raw };
  if (typeof raw !== 'string') {
    return {
      ok: false,
      code: 'document-not-object',
      message: `policy document must be a JSON object or a string, got \`${typeName(raw)}\``,
    };
  }
  let text = raw.trim();
  if (!text.startsWith('{') && !text.startsWith('[')) {
    try {
      text = decodeURIComponent(text).trim();
    } catch {
      return {
        ok: false,
        code: 'undecodable-document',
        message: `policy document is neither JSON nor valid URL-encoded text: \`${clip(raw)}\``,
      };
    }
  }
  // Strictly: a duplicate key (a second `Effect`) or deep nesting inside the string is refused, as in files.
  const problem = scanJson(text, limits);
  if (
    problem?.kind === 'duplicate-key' ||
    problem?.kind === 'too-deep' ||
    problem?.kind === 'string-too-long'
  )
    return {
      ok: false,
      code: problem.kind,
      message: `policy document: \`${problem.jsonPath}\`: ${problem.reason}`,
      ...(problem.limit !== undefined
        ? { hint: limitHint(problem.kind === 'too-deep' ? 'jsonDepth' : 'stringChars', problem.limit) }
        : {}),
    };
  if (problem)
    return {
      ok: false,
      code: 'undecodable-document',
      message: `policy document does not decode to JSON (${problem.reason}): \`${clip(text)}\``,
    };
  const value: unknown = JSON.parse(text);
  if (!isPlainObject(value)) {
    return {
      ok: false,
      code: 'document-not-object',
      message: `policy document must decode to a JSON object, got \`${typeName(value)}\``,
    };
  }
  return { ok: true, json: JSON.stringify(value), value };
}

/**
 * Which kind of policy a document is, for the grammar check (trust and resource policies need `Principal`,
 * identity ones and SCPs forbid it; RCPs carry `"Principal": "*"`).
 */
export type DocumentKind = 'identity' | 'trust' | 'boundary' | 'resource' | 'scp' | 'rcp';

/**
 * The full policy grammar check, by the engine's `parsePolicy`: the one place importers call
 * it. Engine paths are relative to the document; prefixed here with the document's own path, e.g.
 * `Policies[3].PolicyVersionList[0].Document.Statement[1].Effect`.
 */
export function checkPolicyGrammar(
  value: Record<string, unknown>,
  kind: DocumentKind,
  jsonPath: string,
): Diagnostic[] {
  const { diagnostics } = parsePolicy(value, { kind });
  return diagnostics.map((d) => ({ ...d, jsonPath: d.jsonPath ? `${jsonPath}.${d.jsonPath}` : jsonPath }));
}

/**
 * A document larger than AWS stores anywhere (`policyChars`, counted like AWS without whitespace: the canonical
 * JSON has none outside strings) is reported as a warning at its path; the policy is kept as it is.
 */
export function checkPolicySize(
  json: string,
  jsonPath: string,
  limit: number = DEFAULT_LIMITS.policyChars,
): Diagnostic[] {
  if (json.length <= limit) return [];
  return [
    {
      severity: 'warning',
      code: 'policy.too-large',
      message: `policy document of ${json.length} characters, over the limit of ${limit}: AWS could not have stored it (IAM managed policies hold 6,144)`,
      jsonPath,
      hint: `analyses of it may be slow; ${limitHint('policyChars', limit)}`,
    },
  ];
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/**
 * A policy string from a CLI output, decoded and checked (size, grammar as `kind`): its canonical JSON, or
 * undefined when it does not decode (an error `<codePrefix>.<decode code>`). Diagnostics name `file`, and
 * `jsonPath` continued inside the document.
 */
export function checkedPolicyDocument(
  raw: string,
  kind: DocumentKind,
  codePrefix: string,
  file: string,
  jsonPath: string,
): { json?: string; diagnostics: Diagnostic[] } {
  const decoded = decodePolicyDocument(raw);
  if (!decoded.ok)
    return {
      diagnostics: [
        {
          severity: 'error',
          code: `${codePrefix}.${decoded.code}`,
          message: decoded.message,
          ...(decoded.hint ? { hint: decoded.hint } : {}),
          file,
          jsonPath,
        },
      ],
    };
  const diagnostics = [
    ...checkPolicySize(decoded.json, jsonPath),
    ...checkPolicyGrammar(decoded.value, kind, jsonPath),
  ].map((d) => ({ ...d, file }));
  return { json: decoded.json, diagnostics };
}
