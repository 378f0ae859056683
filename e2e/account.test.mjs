// Account pages in a real browser, journeys that follow one another on one fresh `rota
// demo`: (a) a super user demands a second factor of everyone from the security page;
// (b) a staff member signing in is led into enrolment, reads the seed off the page,
// computes the code here (TOTP, RFC 6238, with node:crypto) and is signed in, shown the
// recovery codes once; (c) they see MFA on, sign out, and sign in again with a fresh code.
// Each saves a screenshot; axe-core checks every page visited.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { BASE, SHOTS, STAFF, OWNER, PASSWORD, freshPage, accessible, signIn } from './lib.mjs';

/** RFC 4648 base32 (no padding) to bytes. */
function base32(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const c of text.replace(/\s+/g, '').toUpperCase()) {
    const index = alphabet.indexOf(c);
    assert.ok(index >= 0, `base32 character ${c}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((value >>> bits) & 0xff);
    }
  }
  return Buffer.from(out);
}

/** The six-digit TOTP code of `seed` for 30-second time step `step` (SHA-1). */
function totp(seed, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const digest = createHmac('sha1', seed).update(counter).digest();
  const offset = digest[19] & 0x0f;
  const value = digest.readUInt32BE(offset) & 0x7fffffff;
  return String(value % 1000000).padStart(6, '0');
}

const nowStep = () => Math.floor(Date.now() / 30000);
const state = {};

/** A code the server has not seen: a step later than the last one used, and at most one
 * step ahead of now (the drift allowed), waiting for the clock to turn when needed. */
async function freshCode() {
  while (state.step + 1 > nowStep() + 1) {
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  state.step = Math.max(nowStep(), state.step + 1);
  return totp(state.seed, state.step);
}

test('(a) a super user demands a second factor of everyone', async () => {
  const page = await freshPage();
  await signIn(page, OWNER, '/settings');
  await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Security' }).click();
  await page.waitForURL(`${BASE}/company/security`);
  await accessible(page);
  const box = page.getByLabel('Demand a second factor of everyone');
  assert.equal(await box.isChecked(), false);
  await box.check();
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForURL(`${BASE}/company/security?done=on`);
  await page.getByText('Everyone now signs in with a second factor').waitFor();
  assert.equal(await page.getByLabel('Demand a second factor of everyone').isChecked(), true);
  await accessible(page);
  await page.screenshot({ path: join(SHOTS, 'account-a-security.png') });
  await page.context().close();
});

test('(b) a staff member signing in enrols with a code computed from the seed on the page', async () => {
  const page = await freshPage();
  await page.goto(`${BASE}/leave`);
  await page.getByLabel('E-mail', { exact: true }).fill(STAFF);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: /Set up two-step sign-in/ }).waitFor();
  const qr = page.getByRole('img', { name: /QR code/ });
  await qr.waitFor();
  assert.ok((await qr.getAttribute('src')).startsWith('data:image/svg+xml;base64,'));
  assert.ok(await qr.evaluate((img) => img.complete && img.naturalWidth > 0), 'the QR code renders under the CSP');
  await accessible(page);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(SHOTS, 'account-b-enrol.png'), fullPage: true });
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scrollWidth <= 390, `the enrolment page fits a phone (${scrollWidth}px)`);
  state.seed = base32(await page.locator('#seed').innerText());
  state.step = nowStep();
  await page.getByLabel('Code shown by your app').fill(totp(state.seed, state.step));
  await page.getByRole('button', { name: 'Switch on and sign in' }).click();
  await page.getByRole('heading', { name: 'Your recovery codes' }).waitFor();
  assert.equal(await page.locator('.recovery-codes li').count(), 10);
  await accessible(page);
  await page.getByRole('link', { name: 'Continue' }).click();
  await page.waitForURL(`${BASE}/leave`);
  await page.context().close();
});

test('(c) they see MFA on, sign out, and sign in again with a fresh code', async () => {
  assert.ok(state.seed, 'journey (b) enrolled');
  const page = await freshPage();
  await page.goto(`${BASE}/account/mfa`);
  await page.getByLabel('E-mail', { exact: true }).fill(STAFF);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('Code', { exact: true }).fill(await freshCode());
  await accessible(page);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${BASE}/account/mfa`);
  await page.locator('.mfa-status', { hasText: 'On' }).waitFor();
  await page.getByText('Your company demands two-step sign-in').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Switch off two-step sign-in' }).count(), 0);
  await accessible(page);
  await page.screenshot({ path: join(SHOTS, 'account-c-mfa-on.png') });

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(`${BASE}/sign-in`);
  await page.getByLabel('E-mail', { exact: true }).fill(STAFF);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('Code', { exact: true }).fill(await freshCode());
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${BASE}/whos-off`);
  await accessible(page);
  await page.context().close();
});
