/**
 * Comparing two snapshots in the what-if view, in Chromium against the real server: the demo, then a copy of it
 * (built in a temp dir; the committed demo is never touched) where dave has joined Engineering.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './app-server.ts';
import { SCREENSHOTS, useBrowserApp, waitForGraph } from './page-helpers.ts';

const DAVE = 'arn:aws:iam::111122223333:user/dave';
const work = mkdtempSync(join(tmpdir(), 'accessgraph-diff-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function daveJoinsEngineering(): string {
  const bundle = join(work, 'demo-later');
  cpSync(join(REPO_ROOT, 'examples/demo'), bundle, { recursive: true });
  const file = join(bundle, 'authorization-details.json');
  const gaad = JSON.parse(readFileSync(file, 'utf8'));
  const dave = gaad.UserDetailList.find((u: { UserName: string }) => u.UserName === 'dave');
  dave.GroupList.push('Engineering');
  writeFileSync(file, JSON.stringify(gaad, null, 4));
  return bundle;
}

const app = useBrowserApp(() => ({
  imports: [
    { label: 'before', bundle: join(REPO_ROOT, 'examples/demo') },
    { label: 'after', bundle: daveJoinsEngineering() },
  ],
}));

describe('snapshot diff', () => {
  it('what changed since the earlier snapshot: dave gained S3 write through Engineering', async () => {
    const page = await app.newPage();
    await page.goto(`${app.server.url}/?view=what-if`);
    const compare = page.getByTestId('what-if-compare');
    const before = await compare.locator('option', { hasText: 'before' }).getAttribute('value');
    await compare.getByLabel('…or what changed since').selectOption(before!);
    await compare.getByRole('button', { name: 'Compare' }).click();
    await page.locator('[data-testid="what-if-answer"][data-status="ready"]').waitFor();
    const principals = page.getByTestId('what-if-principals').locator('button.principal');
    await expect(
      principals.evaluateAll((els) => els.map((e) => e.getAttribute('data-principal'))),
    ).resolves.toEqual([DAVE]);
    const rows = await page.getByTestId('what-if-principals').locator('tr').allInnerTexts();
    expect(rows.some((r) => /^s3\tWrite\t\+\d+/.test(r))).toBe(true);
    expect(new URL(page.url()).searchParams.get('compare')).toBe(before);
    await waitForGraph(page);
    await page.waitForFunction(() => ((window as any).__accessgraphCanvas.marks().gained ?? []).length > 0);
    expect(await page.evaluate(() => (window as any).__accessgraphCanvas.marks().gained)).toEqual([DAVE]);
    await page.screenshot({ path: join(SCREENSHOTS, 'snapshot-diff.png') });
    await page.close();
  });
});
