// What every browser journey shares: the server `scripts/e2e` started for this file (a
// fresh `rota demo` per journey file), the logins it printed, one headless Debian chromium
// per file through playwright-core, fresh contexts, signing in, and the axe-core check
// that fails on any serious or critical violation.

import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
export const BASE = process.env.ROTA_E2E_BASE;
export const SHOTS = process.env.ROTA_E2E_SCREENSHOTS;
assert.ok(BASE && SHOTS, 'run through scripts/e2e');

// The logins and password `rota demo` printed.
const log = readFileSync(process.env.ROTA_E2E_SERVER_LOG, 'utf8');
export const PASSWORD = /password "([^"]+)"/.exec(log)[1];
/** The e-mail `rota demo` printed for `role` (a regular expression's source). */
export const login = (role) => new RegExp(`^  ${role}\\s+(\\S+@\\S+)$`, 'm').exec(log)[1];
export const STAFF = login('staff');
export const APPROVER = login('approver');
export const OWNER = login('super user \\(owner\\)');

// launch() gives the browser a fresh, temporary user-data-dir of its own, removed on close.
let browser;
before(async () => {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run',
    ],
  });
});
after(async () => {
  await browser?.close();
});

/** A fresh browser context (no cookies), with axe allowed in despite the page's CSP. */
export async function freshPage() {
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 860 } });
  return context.newPage();
}

/** axe-core on the page as it stands: no serious or critical violation. */
export async function accessible(page) {
  await page.addScriptTag({ path: AXE });
  const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    [],
    `accessibility of ${page.url()}`,
  );
}

/** Signs `email` in with the demo password, starting from `path` signed out. */
export async function signIn(page, email, path = '/leave') {
  await page.goto(`${BASE}${path}`);
  assert.ok(page.url().endsWith(`/sign-in?next=${encodeURIComponent(path)}`), `${page.url()} asks to sign in`);
  await accessible(page);
  await page.getByLabel('E-mail', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${BASE}${path}`);
}
