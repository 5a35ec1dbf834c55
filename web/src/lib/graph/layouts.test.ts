import { describe, expect, it } from 'vitest';
import { chooseLayout } from './layouts.ts';

describe('chooseLayout', () => {
  it('lays the whole account out as left-to-right RBAC layers', () => {
    expect(chooseLayout({ focus: null, elementCount: 50 })).toMatchObject({ name: 'dagre', rankDir: 'LR' });
  });
  it('uses fcose around a focus, in draft quality for large neighbourhoods', () => {
    expect(chooseLayout({ focus: 'arn:x', elementCount: 50 })).toMatchObject({ name: 'fcose', quality: 'default' });
    expect(chooseLayout({ focus: 'arn:x', elementCount: 2000 })).toMatchObject({ name: 'fcose', quality: 'draft' });
  });
});
