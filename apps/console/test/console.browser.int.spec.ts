import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { zReportExample81, type ZReportClosed } from '@lib/contracts';
import { ensureTopics, loadEnv } from '@lib/platform';
import { SettlementConfig } from '../../settlement/src/settlement.config';
import { SettlementModule, settlementTopics } from '../../settlement/src/settlement.module';
import {
  filePrefix,
  newShop,
  ns4102Without,
  OPERATOR,
  posEvent,
  produce,
  RunningConsole,
  runEnv,
  startConsole,
  startFlowApp,
  testKafka,
} from './console-harness';

/**
 * The console's web page in a real browser (Debian's Chromium, headless, driven by playwright-core)
 * against the real console, settlement flow, broker, database and the emulator: an operator signs
 * in, onboards a shop, sees its day fail because the mapping lacks a key, fixes the mapping,
 * resends the day and sees it posted. Screenshots are kept in test-artifacts/console/.
 */
/** Runs in the page (this project compiles without the DOM typings). */
const leftBorderColour = (el: unknown): string =>
  (globalThis as unknown as { getComputedStyle(e: unknown): { borderLeftColor: string } }).getComputedStyle(el).borderLeftColor;

const ARTIFACTS = path.resolve(__dirname, '../../../test-artifacts/console');
const CHROMIUM = '/usr/bin/chromium';

describe('console web page (headless Chromium)', () => {
  const prefix = filePrefix('console-browser');
  let c: RunningConsole;
  let settlement: INestApplication;
  let kafka: Kafka;
  let browser: Browser;
  let page: Page;
  const report: ZReportClosed = { ...zReportExample81, registerId: 'K1', zNumber: 12, businessDate: '2026-03-05', closedAt: '2026-03-05T22:10:00+01:00' };

  beforeAll(async () => {
    kafka = testKafka('console-browser-test');
    await ensureTopics(kafka, settlementTopics(prefix), 3);
    c = await startConsole({ env: { TOPIC_PREFIX: prefix } });
    settlement = await startFlowApp(
      SettlementModule.register(
        loadEnv(SettlementConfig, runEnv(c.emulator.baseUrl, { TOPIC_PREFIX: prefix, PORT: '0', SETTLEMENT_POLL_INTERVAL_MS: '300', SETTLEMENT_MISSING_CHECK_CRON: 'off' })),
      ),
    );
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    page.setDefaultTimeout(30_000);
  });

  afterAll(async () => {
    await browser?.close();
    await settlement?.close();
    await c?.close();
  });

  /** Clicks an action button, then Confirm in the page's confirmation dialog. */
  async function confirmClick(selector: string): Promise<void> {
    await page.click(selector);
    await page.waitForSelector('#confirm[open]');
    await page.click('#confirm-ok');
  }

  /** Presses Refresh until the selector shows up (the flows work in the background). */
  async function refreshUntil(selector: string, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await page.locator(selector).count()) return;
      if (Date.now() > deadline) throw new Error(`the page never showed ${selector}`);
      await page.click('button:has-text("Refresh")');
      await page.waitForTimeout(500);
    }
  }

  it('signs in, onboards a shop, sees a failed day, fixes the mapping, resends it and sees it posted', async () => {
    const shop = await newShop(c.emulator, { prefix: 'browser' });

    // Signing in: a wrong token is refused, the right one opens the overview.
    await page.goto(c.baseUrl);
    await page.fill('#token', 'not-the-token');
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#login-error:not(.hidden)');
    expect(await page.textContent('#login-error')).toMatch(/not accepted/);
    await page.fill('#token', OPERATOR.token);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('[data-testid=overview]');

    // Onboarding through the form: the key is checked by PowerOffice (the emulator).
    await page.click('text=Onboard a shop');
    await page.fill('[name=id]', shop.tenantId);
    await page.fill('[name=name]', shop.onboarding.name);
    await page.fill('[name=organizationNumber]', shop.onboarding.organizationNumber);
    await page.fill('[name=clientKey]', shop.clientKey);
    await page.click('#onboard-form button[type=submit]');
    await page.waitForSelector('[data-testid=tenant-name]');
    expect(await page.textContent('[data-testid=tenant-name]')).toContain(shop.tenantId);
    expect(await page.content()).not.toContain(shop.clientKey);

    // A mapping without the card account: valid against the chart, but a card day cannot be posted.
    await page.fill('#mapping-json', JSON.stringify(ns4102Without('payments.card'), null, 2));
    await page.click('[data-testid=check-mapping]');
    await page.waitForSelector('[data-testid=mapping-result] .notice');
    await confirmClick('[data-testid=save-mapping]');
    await page.waitForSelector('[data-testid=mapping-result] .notice:has-text("Saved as version 1")');

    // The till closes the day.
    await produce(kafka, 'zReportClosed', prefix, [posEvent('ZReportClosed', shop.tenantId, report)]);
    await refreshUntil('[data-testid="day-2026-03-05"][data-health=failed]');
    const failedRegister = page.locator('[data-testid=register-K1-12]');
    expect(await failedRegister.getAttribute('data-state')).toBe('failed');
    expect(await failedRegister.textContent()).toMatch(/MAPPING_MISSING.*card/s);
    // Failures are red at a glance.
    const failedBorder = await page.locator('[data-testid="day-2026-03-05"] td').first().evaluate(leftBorderColour);
    expect(failedBorder).toBe('rgb(198, 40, 40)');
    await page.screenshot({ path: path.join(ARTIFACTS, 'console-failed-day.png'), fullPage: true });

    // The operator applies the NS 4102 preset, saves it, and resends the day.
    await page.click('[data-testid=apply-preset]');
    expect(await page.inputValue('#mapping-json')).toContain('"card"');
    await confirmClick('[data-testid=save-mapping]');
    await page.waitForSelector('[data-testid=mapping-result] .notice:has-text("Saved as version 2")');
    await page.waitForSelector('[data-testid=register-K1-12] [data-testid=resend]');
    await confirmClick('[data-testid=register-K1-12] [data-testid=resend]');
    await page.waitForSelector('[data-testid=tenant-actions-result] .notice, [data-testid=settlements] .notice');
    await refreshUntil('[data-testid="day-2026-03-05"][data-health=posted]');

    const voucherNo = (await page.textContent('[data-testid=register-K1-12] [data-testid=voucher-no]'))!.replace(/\D+/g, '');
    const vouchers = (await c.emulator.admin.state(shop.clientKey)).vouchers;
    expect(vouchers).toHaveLength(1);
    expect(String(vouchers[0].VoucherNo)).toBe(voucherNo);
    const postedBorder = await page.locator('[data-testid="day-2026-03-05"] td').first().evaluate(leftBorderColour);
    expect(postedBorder).toBe('rgb(46, 125, 50)');
    await page.screenshot({ path: path.join(ARTIFACTS, 'console-posted-day.png'), fullPage: true });

    // Back on the overview, the shop is all green.
    await page.click('#home-link');
    await page.waitForSelector(`[data-testid=tenant-row-${shop.tenantId}]`);
    expect(await page.textContent(`[data-testid=tenant-row-${shop.tenantId}]`)).toContain('all posted and in sync');
    await page.screenshot({ path: path.join(ARTIFACTS, 'console-overview.png'), fullPage: true });
  });
});
