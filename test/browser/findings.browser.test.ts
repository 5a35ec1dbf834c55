/** The findings dashboard in Chromium against the real server on the demo account (examples/demo/README.md). */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { highlightedIds, SCREENSHOTS, waitForGraph, useBrowserApp } from './page-helpers.ts';

const ACCT = 'arn:aws:iam::111122223333';
const PARTNER = `${ACCT}:role/partner-auditor`;

const app = useBrowserApp();
const newPage = () => app.newPage();

describe('findings dashboard', () => {
  it('lists findings most severe first; picking one highlights its entities and a link keeps it', async () => {
    const page = await newPage();
    await page.goto(app.server.url);
    await page.getByTestId('view-findings').click();
    await page.locator('[data-testid="findings-list"][data-status="ready"]').waitFor();
    const severities = await page.locator('button.finding .severity').allInnerTexts();
    const order = ['critical', 'high', 'medium', 'low', 'warning'];
    expect(severities.length).toBeGreaterThan(3);
    expect(severities.map((s) => order.indexOf(s))).toEqual(
      [...severities.map((s) => order.indexOf(s))].sort((a, b) => a - b),
    );
    // examples/demo/README.md: partner-auditor trusts a whole foreign account without an ExternalId.
    const trust = page.locator(
      `button.finding[data-finding^="cross-account-trust-without-external-id|${PARTNER}"]`,
    );
    await trust.click();
    await waitForGraph(page);
    await page.waitForFunction(() => (window as any).__accessgraphCanvas.highlighted().length > 0);
    expect(await highlightedIds(page)).toContain(PARTNER);
    const url = new URL(page.url());
    expect(url.searchParams.get('view')).toBe('findings');
    expect(url.searchParams.get('finding')).toBe(`cross-account-trust-without-external-id|${PARTNER}`);
    await page.screenshot({ path: join(SCREENSHOTS, 'findings.png') });

    // The entity link opens its panel; the deep link restores the picked finding.
    await page.getByRole('button', { name: 'partner-auditor', exact: true }).click();
    await page.getByTestId('entity-panel').getByRole('heading', { name: 'partner-auditor' }).waitFor();
    await page.goto(page.url());
    await expect(trust.getAttribute('aria-pressed')).resolves.toBe('true');

    // Hiding a severity hides its findings.
    await page.getByRole('checkbox', { name: /high/ }).uncheck();
    await expect(page.locator('button.finding .severity', { hasText: /^high$/ }).count()).resolves.toBe(0);
    await page.close();
  });
});
