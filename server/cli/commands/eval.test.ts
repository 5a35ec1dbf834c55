/**
 * `accessgraph eval`'s request file is checked with the argument checks GraphQL's `evaluate` uses
 * (server/analysis/arguments.ts): the same verdicts and messages, at the field's JSON path.
 */
import { describe, expect, it } from 'vitest';
import { demo } from '../../../test/api/demo-fixture.ts';
import { actionProblem, dateTimeProblem } from '../../analysis/arguments.ts';
import { readEvaluationInput } from './eval.ts';

describe('eval request file', () => {
  it('an action and a date-time get the verdicts and messages GraphQL gives', () => {
    const file = (at: string, action = 's3:GetObject') =>
      readEvaluationInput(
        'request.json',
        JSON.stringify({ principal: demo.alice, action, resource: '*', identityPolicies: [], at }),
      ).diagnostics.map((d) => `${d.jsonPath} ${d.message}`);
    expect(file('2026-12-07T12:00:00Z')).toEqual([]);
    expect(file('Dec 7 2026')).toEqual([
      `at ${dateTimeProblem('Dec 7 2026')!.message}: ${dateTimeProblem('x')!.hint}`,
    ]);
    expect(file('2026-12-07T12:00:00Z', 'GetObject')).toEqual([
      `action ${actionProblem('GetObject')!.message}: ${actionProblem('GetObject')!.hint}`,
    ]);
  });
});
