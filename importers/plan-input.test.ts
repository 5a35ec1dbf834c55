import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectPlanFormat, readPlanInput } from './plan-input.ts';

const fixture = (path: string) =>
  new Uint8Array(readFileSync(new URL(`../test/fixtures/${path}`, import.meta.url)));
const text = (path: string) => new TextDecoder().decode(fixture(path));

describe('detectPlanFormat', () => {
  it('tells a change set by its Changes, anything else is a Terraform plan', () => {
    expect(detectPlanFormat(text('cloudformation-change-sets/handmade-modify-remove-demo.json'))).toBe(
      'cloudformation-change-set',
    );
    expect(detectPlanFormat('\uFEFF{"ChangeSetId":"arn:aws:cloudformation:…"}')).toBe(
      'cloudformation-change-set',
    );
    expect(detectPlanFormat(text('terraform-plans/handmade-attach-s3-to-qa.json'))).toBe('terraform-plan');
    expect(detectPlanFormat(text('terraform-plans/infracost-wrapper-invalid.json'))).toBe('terraform-plan');
    expect(detectPlanFormat('not json at all')).toBe('terraform-plan');
  });
});

describe('readPlanInput', () => {
  it('reads each format with its own reader and translator', () => {
    const plan = readPlanInput(
      fixture('terraform-plans/handmade-attach-s3-to-qa.json'),
      'terraform-plan',
      'plan.json',
    );
    expect(plan.translation?.changes.length).toBeGreaterThan(0);
    expect(plan.text).toContain('resource_changes');
    const changeSet = readPlanInput(
      fixture('cloudformation-change-sets/handmade-modify-remove-demo.json'),
      'cloudformation-change-set',
      'cs.json',
    );
    expect(changeSet.translation?.changes.length).toBeGreaterThan(0);
    expect(changeSet.text).toBeUndefined();
  });

  it('a change set read as a plan is bad input named by the plan reader, with no translation', () => {
    const wrong = readPlanInput(
      fixture('cloudformation-change-sets/handmade-modify-remove-demo.json'),
      'terraform-plan',
      'cs.json',
    );
    expect(wrong.translation).toBeUndefined();
    expect(wrong.diagnostics.some((d) => d.severity === 'error' && d.file === 'cs.json')).toBe(true);
  });
});
