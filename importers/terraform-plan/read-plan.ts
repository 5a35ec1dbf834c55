/**
 * Plan file bytes → a checked `TerraformPlan`, or diagnostics saying why the file is not one. Accepts what
 * `terraform show -json plan` writes on any platform (UTF-8, UTF-8 with BOM, UTF-16 with BOM from Windows
 * PowerShell's `>`), and a plan wrapped in CI log lines (GitHub Actions' setup-terraform wrapper echoes the
 * command before the JSON): the one line holding a plan is read, with a warning.
 */
import type { Diagnostic } from '../../schema/diagnostics.ts';
import { decodeFileText } from '../shared/decode-text.ts';
import { parseJsonText } from '../shared/json-text.ts';
import { PlanShape, type TerraformPlan } from './plan.shape.ts';

/** Major versions of the JSON plan format this reader understands (Terraform 0.12 wrote 0.1, 1.x writes 1.x). */
const SUPPORTED_MAJORS = new Set(['0', '1']);

const SHOW_JSON_HINT =
  'a plan as JSON comes from `terraform plan -out plan.tfplan && terraform show -json plan.tfplan > plan.json`';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const looksLikePlan = (v: unknown): boolean =>
  isObject(v) && typeof v.format_version === 'string' && ('resource_changes' in v || 'planned_values' in v);

/** The single line of the text that is a JSON plan, when the file holds log lines around it. */
function planLine(text: string): { value: unknown; line: number } | undefined {
  const found: { value: unknown; line: number }[] = [];
  text.split(/\r?\n/).forEach((l, i) => {
    const t = l.trim();
    if (!t.startsWith('{')) return;
    try {
      const value: unknown = JSON.parse(t);
      if (looksLikePlan(value)) found.push({ value, line: i + 1 });
    } catch {
      // not this line
    }
  });
  return found.length === 1 ? found[0] : undefined;
}

function notAPlan(file: string, code: string, message: string, hint = SHOW_JSON_HINT): Diagnostic {
  return { severity: 'error', code: `terraform-plan.${code}`, message, file, hint };
}

export interface ReadPlanResult {
  plan?: TerraformPlan;
  /** The decoded text (for placing an address on a line of the file). */
  text: string;
  diagnostics: Diagnostic[];
}

export function readTerraformPlan(bytes: Uint8Array, file: string): ReadPlanResult {
  const decoded = decodeFileText(bytes, file, 'terraform-plan');
  if (!decoded.ok) return { text: '', diagnostics: [decoded.diagnostic] };
  const { text } = decoded;
  const diagnostics: Diagnostic[] = [];
  const parsed = parseJsonText(text, file, 'terraform-plan');
  let value: unknown;
  if (parsed.ok) value = parsed.value;
  else {
    const line = planLine(text);
    if (!line)
      return {
        text,
        diagnostics: [
          {
            ...parsed.diagnostic,
            hint: /^\s*\[command\]|::debug::|::set-output/m.test(text)
              ? 'the file holds CI log lines (setup-terraform wrapper?): set `terraform_wrapper: false`, or ' +
                SHOW_JSON_HINT
              : SHOW_JSON_HINT,
          },
        ],
      };
    value = line.value;
    diagnostics.push({
      severity: 'warning',
      code: 'terraform-plan.extracted',
      message: `the file holds other lines around the plan (CI log output?): the plan was read from line ${line.line}`,
      file,
      line: line.line,
      hint: 'with hashicorp/setup-terraform, set `terraform_wrapper: false` to get the bare JSON',
    });
  }
  if (!isObject(value))
    return {
      text,
      diagnostics: [notAPlan(file, 'not-a-plan', 'not a Terraform plan: the JSON is not an object')],
    };
  if ('lineage' in value && 'serial' in value)
    return {
      text,
      diagnostics: [
        notAPlan(file, 'state-file', 'this is a Terraform state file (terraform.tfstate), not a plan'),
      ],
    };
  if (typeof value.format_version !== 'string')
    return {
      text,
      diagnostics: [
        notAPlan(
          file,
          'not-a-plan',
          'not a Terraform plan: no `format_version` (is it `terraform show -json` output?)',
        ),
      ],
    };
  if (!('resource_changes' in value) && !('planned_values' in value))
    return {
      text,
      diagnostics: [
        notAPlan(
          file,
          'values' in value ? 'state-file' : 'not-a-plan',
          'values' in value
            ? 'this is `terraform show -json` of a state, not of a plan: it has `values` but no `resource_changes`'
            : 'not a Terraform plan: no `resource_changes` or `planned_values`',
        ),
      ],
    };
  const major = value.format_version.split('.')[0]!;
  if (!SUPPORTED_MAJORS.has(major))
    return {
      text,
      diagnostics: [
        {
          severity: 'error',
          code: 'terraform-plan.unsupported-version',
          message: `plan \`format_version\` ${value.format_version} is not supported (this reader knows 0.x and 1.x)`,
          file,
          jsonPath: 'format_version',
          hint: 'a new major version changes the format incompatibly: update accessgraph',
        },
      ],
    };
  const shaped = PlanShape.safeParse(value);
  if (!shaped.success) {
    for (const issue of shaped.error.issues.slice(0, 20))
      diagnostics.push({
        severity: 'error',
        code: 'terraform-plan.invalid',
        message: issue.message.charAt(0).toLowerCase() + issue.message.slice(1),
        file,
        jsonPath: issue.path.reduce<string>(
          (p, k) => (typeof k === 'number' ? `${p}[${k}]` : p ? `${p}.${String(k)}` : String(k)),
          '',
        ),
        hint: "the file does not follow Terraform's JSON plan format: was it edited by hand?",
      });
    return { text, diagnostics };
  }
  return { plan: shaped.data, text, diagnostics };
}
