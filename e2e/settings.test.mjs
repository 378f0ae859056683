// Company settings in a real browser, on a fresh `rota demo`: a super user adds a leave
// type with its colour and a closure, changes the carry-over rule, and a staff member finds
// no way into the settings. Each page is checked with axe-core.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { BASE, SHOTS, STAFF, OWNER, freshPage, accessible, signIn } from './lib.mjs';

test('a super user adds a leave type and a closure and changes the carry-over rule', async () => {
  const page = await freshPage();
  await signIn(page, OWNER, '/settings');
  await accessible(page);
  await page.getByLabel('Most days carried into the next year').fill('7.5');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForURL(`${BASE}/settings?done=saved`);
  await page.getByText('Saved.').waitFor();
  assert.equal(await page.getByLabel('Most days carried into the next year').inputValue(), '7.5');
  await page.screenshot({ path: join(SHOTS, 'settings-company.png'), fullPage: true });

  await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Leave types' }).click();
  await page.waitForURL(`${BASE}/settings/leave-types`);
  await accessible(page);
  // Refused first by the server: the holiday's code is taken, and the message stands
  // next to the code.
  await page.getByLabel('Code', { exact: false }).fill('H');
  await page.getByLabel('Name', { exact: false }).fill('Jury service');
  await page.getByRole('button', { name: 'Add' }).click();
  await page.locator('#code-error').waitFor();
  await accessible(page);
  await page.getByLabel('Code', { exact: false }).fill('JS');
  await page.getByLabel('Colour').fill('#8e44ad');
  await page.getByRole('button', { name: 'Add' }).click();
  await page.waitForURL(`${BASE}/settings/leave-types?done=created`);
  const row = page.getByRole('row', { name: /Jury service/ });
  await row.waitFor();
  assert.match(await row.innerText(), /#8e44ad/);
  await page.screenshot({ path: join(SHOTS, 'settings-leave-types.png'), fullPage: true });

  await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Closures and announcements' }).click();
  await page.waitForURL(`${BASE}/settings/closures`);
  await page.getByLabel('Title', { exact: false }).fill('Office move');
  await page.getByLabel('From', { exact: false }).fill('2030-06-03');
  await page.getByLabel('To', { exact: false }).fill('2030-06-04');
  await page.getByRole('button', { name: 'Add' }).click();
  await page.waitForURL(`${BASE}/settings/closures?done=created`);
  await page.getByRole('row', { name: /Office move/ }).waitFor();
  await accessible(page);

  // The closure shades its days in the who's-off grid.
  await page.goto(`${BASE}/whos-off?month=2030-06`);
  assert.ok(await page.locator('table.grid thead th.closed, table.grid td.closed').count() > 0, 'the closure is shaded');

  // On a phone the settings fit the screen's width.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${BASE}/settings/leave-types`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the settings are ${overflow}px wider than a phone`);
  await page.context().close();
});

test('a staff member finds no way into the settings', async () => {
  const page = await freshPage();
  await signIn(page, STAFF);
  assert.equal(await page.getByRole('link', { name: 'Settings' }).count(), 0);
  const response = await page.goto(`${BASE}/settings/leave-types`);
  assert.equal(response.status(), 403);
  await accessible(page);
  await page.context().close();
});
