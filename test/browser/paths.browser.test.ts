/**
 * The paths view in Chromium against the real server on the demo account: dave reaches admin through
 * svc-deploy and cfn-deployer (examples/demo/README.md), each step named by its technique; a deep link restores it.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { highlightedIds, SCREENSHOTS, useBrowserApp, waitForGraph } from './page-helpers.ts';

const ACCT = 'arn:aws:iam::111122223333';
const DAVE = `${ACCT}:user/dave`;
const CFN = `${ACCT}:role/cfn-deployer`;

const app = useBrowserApp();

describe('paths', () => {
  it('dave to admin: dave → svc-deploy → cfn-deployer → ADMIN with technique ids, drawn, and a deep link restores it', async () => {
    const page = await app.newPage();
    await page.goto(app.server.url);
    await page.getByTestId('view-paths').click();
    await page.getByLabel('from a user or role').fill('dave');
    await page.getByTestId('paths-form').getByRole('button', { name: 'Find' }).click();
    await page.locator('[data-testid="paths-answer"][data-status="ready"]').waitFor();
    const titles = await page.getByTestId('paths-list').locator('button.path .title').allInnerTexts();
    expect(titles).toContain('dave → svc-deploy → cfn-deployer → ADMIN');
    const rank = titles.indexOf('dave → svc-deploy → cfn-deployer → ADMIN');
    await page.locator(`button.path[data-path="${rank}"]`).click();
    const techniques = await page
      .locator(`button.path[data-path="${rank}"] + ol.steps > li`)
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-technique')));
    expect(techniques).toHaveLength(3);
    expect(techniques.every((t) => !!t && t.length > 0)).toBe(true);
    expect(techniques.slice(1).some((t) => /^iam-\d+$/.test(t!))).toBe(true);

    await waitForGraph(page);
    await expect
      .poll(() => highlightedIds(page))
      .toEqual(expect.arrayContaining([DAVE, CFN, 'accessgraph:admin']));
    const url = new URL(page.url());
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      view: 'paths',
      from: 'dave',
      result: String(rank),
    });
    await page.screenshot({ path: join(SCREENSHOTS, 'paths.png') });

    // The deep link, in a fresh tab, restores the question, the answer and the picked path.
    const again = await app.newPage();
    await again.goto(page.url());
    await again.locator('[data-testid="paths-answer"][data-status="ready"]').waitFor();
    await expect(again.getByLabel('from a user or role').inputValue()).resolves.toBe('dave');
    await expect(
      again.locator(`button.path[data-path="${rank}"]`).getAttribute('aria-pressed'),
    ).resolves.toBe('true');
    await waitForGraph(again);
    await expect.poll(() => highlightedIds(again)).toEqual(expect.arrayContaining([DAVE, CFN]));
    await page.close();
    await again.close();
  });
});
