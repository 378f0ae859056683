// Schedule, time clock and payroll in a real browser, journeys that follow one another on
// one fresh `rota demo`: (a) a manager finds the staff member's location in the week grid,
// makes them a shift next week through the form and publishes the week; (b) the staff
// member sees it in their shifts, clocks in and out, and the pages fit a phone; (c) a super
// user sees this week's grid, opens the current pay period's hours by person and type, and
// downloads its CSV. Each saves a screenshot; axe-core checks every page visited.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BASE, SHOTS, STAFF, APPROVER, OWNER, freshPage, accessible, signIn } from './lib.mjs';

const iso = (d) => d.toISOString().slice(0, 10);
const state = {};

test('(a) a manager makes a shift for a staff member and publishes the week', async () => {
  // The staff member's name, as the pages show it.
  const staffPage = await freshPage();
  await signIn(staffPage, STAFF, '/schedule');
  state.name = (await staffPage.locator('.person').innerText()).trim();
  assert.equal(await staffPage.locator('#week-h').count(), 0, 'staff get no week grid');
  await accessible(staffPage);
  await staffPage.context().close();

  const page = await freshPage();
  await signIn(page, APPROVER, '/schedule');
  await page.locator('#week-h').waitFor();
  await accessible(page);
  // The location where the staff member has a row.
  const locations = await page.locator('#location option').evaluateAll((os) => os.map((o) => o.value));
  let found = false;
  for (const id of locations) {
    await page.goto(`${BASE}/schedule?location=${id}`);
    if (await page.locator('table.week th[scope=row]', { hasText: state.name }).count()) {
      found = true;
      break;
    }
  }
  assert.ok(found, `${state.name} works at one of the locations`);
  await page.getByRole('link', { name: 'Next week' }).click();
  await page.locator('#week-h').waitFor();
  state.monday = new URL(page.url()).searchParams.get('week');
  await page.getByRole('link', { name: 'New shift' }).click();
  await page.waitForURL(/\/schedule\/shifts\/new/);
  await accessible(page);
  // A day of next week the staff member is free (no leave, no other shift).
  for (let day = 0; day < 7 && !state.day; day += 1) {
    const date = new Date(`${state.monday}T12:00:00Z`);
    date.setUTCDate(date.getUTCDate() + 2 + day);
    await page.getByLabel('Who', { exact: true }).selectOption({ label: state.name });
    await page.getByLabel('Day', { exact: true }).fill(iso(date));
    await page.getByLabel('Start', { exact: true }).fill('10:00');
    await page.getByLabel(/^End/).fill('14:30');
    await page.getByLabel('Unpaid break (minutes)').fill('30');
    await page.getByLabel('Notes').fill('Stock take');
    await page.getByRole('button', { name: 'Save shift' }).click();
    await page.waitForLoadState();
    if (page.url().includes('done=saved')) state.day = iso(date);
  }
  assert.ok(state.day, 'a free day next week');
  await page.getByText('10:00–14:30').first().waitFor();
  assert.ok(await page.locator('table.week a.shift.draft', { hasText: '10:00–14:30' }).count(), 'a draft in the grid');
  await accessible(page);
  await page.getByRole('button', { name: /^Publish the week/ }).click();
  await page.waitForURL(/done=published/);
  await page.getByText('The week is published.').waitFor();
  assert.equal(await page.locator('table.week a.shift.draft', { hasText: '10:00–14:30' }).count(), 0, 'published');
  await accessible(page);
  await page.locator('section', { has: page.locator('#week-h') }).screenshot({ path: join(SHOTS, 'a-schedule-published.png') });
  await page.context().close();
});

test('(b) the staff member sees the shift, clocks in and out, on a phone too', async () => {
  assert.ok(state.day, 'journey (a) made a shift');
  const page = await freshPage();
  await signIn(page, STAFF, '/schedule');
  const mine = page.locator('section', { has: page.locator('#mine-h') });
  await mine.locator('li', { hasText: '10:00–14:30' }).filter({ hasText: 'Stock take' }).waitFor();
  assert.match(await mine.innerText(), /30 min unpaid break/);
  await accessible(page);
  await page.getByRole('link', { name: 'Time clock' }).click();
  await page.waitForURL(`${BASE}/time`);
  await accessible(page);
  await page.getByRole('button', { name: 'Clock in' }).click();
  await page.waitForURL(`${BASE}/time?done=in`);
  await page.getByRole('heading', { name: /^Clocked in since/ }).waitFor();
  await accessible(page);
  await page.getByRole('button', { name: 'Clock out' }).click();
  await page.waitForURL(`${BASE}/time?done=out`);
  await page.getByText('You are clocked out.').waitFor();
  await page.getByRole('heading', { name: 'Not clocked in' }).waitFor();
  await accessible(page);
  await page.screenshot({ path: join(SHOTS, 'time-clock.png') });

  await page.setViewportSize({ width: 390, height: 844 });
  for (const path of ['/schedule', '/time']) {
    await page.goto(`${BASE}${path}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${path} is ${overflow}px wider than a phone`);
  }
  await page.context().close();
});

test('(c) a super user opens the current pay period and downloads its CSV', async () => {
  const page = await freshPage();
  await signIn(page, OWNER, '/schedule');
  // This week at the first location, which the demo has filled.
  await page.locator('table.week a.shift').first().waitFor();
  await accessible(page);
  await page.locator('section', { has: page.locator('#week-h') }).screenshot({ path: join(SHOTS, 'schedule-week.png') });
  await page.getByRole('link', { name: 'Payroll' }).click();
  await page.waitForURL(`${BASE}/payroll`);
  await accessible(page);
  // The period holding today (periods are cut from the first listing on).
  const today = iso(new Date());
  const links = await page.locator('table.periods a').evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute('href')]));
  const current = links.find(([dates]) => {
    const [from, to] = dates.split(' to ');
    return from <= today && today <= to;
  });
  assert.ok(current, `a period holds ${today}`);
  await page.goto(`${BASE}${current[1]}`);
  await page.getByRole('columnheader', { name: 'Overtime' }).waitFor();
  assert.ok(await page.locator('table.hours tbody tr').count() > 0, 'people with hours');
  assert.match(await page.locator('table.hours tfoot').innerText(), /\d+:\d\d/, 'hours:minutes');
  await accessible(page);
  await page.screenshot({ path: join(SHOTS, 'payroll-period.png'), fullPage: true });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download CSV' }).click(),
  ]);
  const csv = readFileSync(await download.path(), 'utf8');
  const lines = csv.trim().split('\n');
  assert.ok(lines.length > 1, 'a header and rows');
  assert.match(lines[0], /,/);
  await page.context().close();
});
