/**
 * `accessgraph eval <request.json>`: decide one request against policies given in a JSON file that mirrors
 * GraphQL's `EvaluationInput` (docs/eval-input.md). Exit 0 whatever the decision; 2 when the file or a policy
 * in it is invalid (file, JSON path, line).
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { z } from 'zod';
import { parseJsonText } from '../../../importers/shared/json-text.ts';
import { evaluateInput, type EvaluationInput } from '../../analysis/evaluation.ts';
import { actionProblem, dateTimeProblem, type ArgumentProblem } from '../../analysis/arguments.ts';
import type { Diagnostic } from '../../../schema/diagnostics.ts';
import type { LayerExplanation } from '../../engine/index.ts';
import { CliError, EXIT_BAD_INPUT, createOutput } from '../output.ts';

/** A shared argument check (server/analysis/arguments.ts) as a zod refinement: its message and hint. */
function problem(check: (value: string) => ArgumentProblem | undefined) {
  return (value: string, ctx: z.RefinementCtx) => {
    const p = check(value);
    if (p) ctx.addIssue({ code: 'custom', message: p.hint ? `${p.message}: ${p.hint}` : p.message });
  };
}

// A policy document: JSON text (as in GraphQL) or, for convenience in a file, the JSON object itself.
const documentShape = z.union([z.string(), z.record(z.string(), z.unknown())]);

const inputShape = z.strictObject({
  principal: z.string(),
  action: z.string().superRefine(problem(actionProblem)),
  resource: z.string(),
  resourceAccount: z.string().optional(),
  context: z.array(z.strictObject({ key: z.string(), values: z.array(z.string()) })).optional(),
  identityPolicies: z.array(documentShape),
  permissionsBoundary: documentShape.optional(),
  serviceControlPolicies: z.array(z.array(documentShape)).optional(),
  resourceControlPolicies: z.array(z.array(documentShape)).optional(),
  resourcePolicy: documentShape.optional(),
  sessionPolicy: documentShape.optional(),
  vpcEndpointPolicy: documentShape.optional(),
  strictContext: z.boolean().optional(),
  at: z.string().superRefine(problem(dateTimeProblem)).optional(),
});

function jsonPathOf(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');
}

/** The request file → input, or every problem in it as diagnostics. */
export function readEvaluationInput(
  file: string,
  text: string,
): { input?: EvaluationInput; diagnostics: Diagnostic[] } {
  const parsed = parseJsonText(text, file, 'eval');
  if (!parsed.ok) return { diagnostics: [parsed.diagnostic] };
  const r = inputShape.safeParse(parsed.value);
  if (r.success) return { input: r.data as EvaluationInput, diagnostics: [] };
  return {
    diagnostics: r.error.issues.map((issue) => ({
      severity: 'error' as const,
      code: 'eval.invalid-input',
      message: issue.message,
      file,
      ...(issue.path.length ? { jsonPath: jsonPathOf(issue.path) } : {}),
      hint: 'see docs/eval-input.md for the fields',
    })),
  };
}

function renderLayers(layers: LayerExplanation[]): string[] {
  const lines: string[] = [];
  for (const l of layers) {
    const name = l.level !== undefined ? `${l.layer}[level ${l.level}]` : l.layer;
    lines.push(`  ${name.padEnd(18)} allow: ${l.allow.padEnd(11)} deny: ${l.deny}`);
    for (const s of l.statements)
      lines.push(
        `    ${s.effect.padEnd(5)} ${s.policyName ?? s.policyId} Statement[${s.statementIndex}]` +
          `${s.sid ? ` "${s.sid}"` : ''}${s.conditional ? ' (conditional)' : ''}`,
      );
  }
  return lines;
}

export function evalCommand(): Command {
  return new Command('eval')
    .description('decide one request against the policies in a JSON file (like simulate-custom-policy)')
    .argument(
      '<request.json>',
      'the request and its policies; fields as GraphQL EvaluationInput (docs/eval-input.md)',
    )
    .option('--json', 'print the decision, residual conditions and explanation as JSON')
    .addHelpText('after', '\nExample: accessgraph eval examples/eval/scp-deny.json')
    .action(async (file: string, flags: { json?: boolean }) => {
      const out = createOutput(flags.json === true);
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        throw new CliError(`cannot read \`${file}\`: ${(e as Error).message}`, EXIT_BAD_INPUT);
      }
      const { input, diagnostics } = readEvaluationInput(file, text);
      const outcome = input ? await evaluateInput(input) : undefined;
      // The engine names the policy by its input field (`identityPolicies[1]`): in the file that is a JSON path.
      const problems =
        outcome && !outcome.ok
          ? outcome.diagnostics.map((d) => ({
              ...d,
              file,
              jsonPath: [d.file, d.jsonPath].filter(Boolean).join('.'),
            }))
          : diagnostics;
      if (!outcome || !outcome.ok) {
        out.diagnostics(problems);
        out.result({ ok: false, diagnostics: problems });
        process.exitCode = EXIT_BAD_INPUT;
        return;
      }
      const { result, summary, conditionsText, warnings } = outcome;
      out.result({
        ok: true,
        decision: result.decision,
        ...(result.deniedBy ? { deniedBy: result.deniedBy } : {}),
        ...(result.conditions ? { conditions: result.conditions, conditionsText } : {}),
        ...(result.serviceRule ? { serviceRule: result.serviceRule } : {}),
        summary,
        warnings,
        explanation: result.explanation,
      });
      for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
      out.info(summary);
      out.info('');
      out.info('layers:');
      for (const line of renderLayers(result.explanation.layers)) out.info(line);
      for (const n of result.explanation.notes) out.info(`note: ${n}`);
      if (result.serviceRule) out.info(`rule: ${result.serviceRule.id} (${result.serviceRule.doc})`);
    });
}
