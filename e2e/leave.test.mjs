// Leave in a real browser, journeys that follow one another on one fresh `rota demo`:
// (a) a staff member signs in and asks for two days; (b) their approver sees the request
// waiting and approves it; (c) the staff member sees the new balance and the days in the
// who's-off grid; (d) a super user sees the whole company's month; (e) the approver reads
// the report and downloads the staff as CSV; (f) the staff member logs an evening's
// overtime and their approver approves it apart from leave. Each saves a screenshot;
// axe-core checks every page visited.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BASE, SHOTS, STAFF, APPROVER, OWNER, freshPage, accessible, signIn } from './lib.mjs';

/** The numbers of the first balance card of `year` for the holiday type. */
async function holidayBalance(page, year) {
  const card = page.locator('article.balance', { hasText: `${year}-` }).filter({ hasText: 'Holiday' }).first();
  const value = async (term) => (await card.locator(`dt:text-is("${term}") + dd`).innerText()).trim();
  return { taken: await value('Taken'), pending: await value('Pending'), remaining: await value('Remaining') };
}

const iso = (d) => d.toISOString().slice(0, 10);
const state = {};

test('(a) a staff member signs in and asks for two days', async () => {
  const page = await freshPage();
  await signIn(page, STAFF);
  await accessible(page);
  state.name = (await page.locator('.person').innerText()).trim();
  // A Monday and Tuesday of next year that the demo's own leave leaves free: the quote
  // (fetched by the page's script as the dates change) says two days when they are.
  const year = new Date().getUTCFullYear() + 1;
  state.before = await holidayBalance(page, year);
  await page.getByLabel('Type', { exact: true }).selectOption({ label: 'Holiday' });
  const monday = new Date(Date.UTC(year, 2, 1));
  while (monday.getUTCDay() !== 1) monday.setUTCDate(monday.getUTCDate() + 1);
  for (let week = 0; week < 20; week += 1) {
    const tuesday = new Date(monday.getTime() + 86400000);
    await page.locator('#quote').evaluate((element) => element.replaceChildren());
    await page.getByLabel('From', { exact: true }).fill(iso(monday));
    await page.getByLabel('To', { exact: true }).fill(iso(tuesday));
    await page.getByLabel('To', { exact: true }).dispatchEvent('change');
    await page.locator('#quote .quote, #quote .error').first().waitFor();
    const quote = await page.locator('#quote').innerText();
    if (/^2 days/.test(quote.trim())) {
      state.start = iso(monday);
      state.end = iso(tuesday);
      break;
    }
    monday.setUTCDate(monday.getUTCDate() + 7);
  }
  assert.ok(state.start, 'two free working days next year');
  await page.getByRole('button', { name: 'Ask for leave' }).click();
  await page.waitForURL(`${BASE}/leave?done=requested`);
  await page.getByText('Your request is made.').waitFor();
  const upcoming = page.locator('section', { has: page.locator('#upcoming-h') });
  await upcoming.getByText(`Holiday: ${state.start} to ${state.end}`).waitFor();
  assert.equal((await holidayBalance(page, year)).pending, addDays(state.before.pending, 2));
  await accessible(page);
  await page.screenshot({ path: join(SHOTS, 'a-my-leave-requested.png') });
  await page.context().close();
});

test('(b) their approver sees it waiting and approves', async () => {
  assert.ok(state.start, 'journey (a) asked for leave');
  const page = await freshPage();
  await signIn(page, APPROVER);
  await page.getByRole('link', { name: 'Approvals' }).click();
  await page.waitForURL(`${BASE}/approvals`);
  const card = page.locator('article.waiting', { hasText: state.name }).filter({ hasText: state.start });
  await card.waitFor();
  assert.match(await card.innerText(), /remaining of/);
  await accessible(page);
  await page.screenshot({ path: join(SHOTS, 'b-approvals.png') });
  await card.getByRole('button', { name: /^Approve/ }).click();
  await page.waitForURL(`${BASE}/approvals?done=approved`);
  await page.getByText('The request is approved.').waitFor();
  assert.equal(await page.locator('article.waiting', { hasText: state.start }).filter({ hasText: state.name }).count(), 0);
  await accessible(page);
  await page.context().close();
});

test('(c) the staff member sees the new balance and the days in the grid', async () => {
  assert.ok(state.start, 'journey (a) asked for leave');
  const page = await freshPage();
  await signIn(page, STAFF);
  const year = Number(state.start.slice(0, 4));
  const after = await holidayBalance(page, year);
  assert.equal(after.taken, addDays(state.before.taken, 2));
  assert.equal(after.remaining, addDays(state.before.remaining, -2));
  await accessible(page);
  await page.screenshot({ path: join(SHOTS, 'c-my-leave.png'), fullPage: true });

  await page.getByRole('link', { name: "Who's off" }).click();
  await page.waitForURL(`${BASE}/whos-off`);
  await accessible(page);
  await page.screenshot({ path: join(SHOTS, 'c-whos-off-this-month.png') });
  await page.goto(`${BASE}/whos-off?month=${state.start.slice(0, 7)}`);
  const row = page.locator('table.grid tbody tr', { has: page.locator(`th:text-is("${state.name}")`) });
  const day = (date) => row.locator('td').nth(Number(date.slice(8, 10)) - 1);
  for (const date of [state.start, state.end]) {
    const mark = day(date).locator('.m');
    assert.equal(await mark.count(), 1, `${date} is marked`);
    assert.match(await mark.getAttribute('class'), /\blt-\d+\b/);
    assert.doesNotMatch(await mark.getAttribute('class'), /pending/);
  }
  await accessible(page);
  await page.screenshot({ path: join(SHOTS, 'c-whos-off.png') });

  // On a phone the pages fit the screen's width: the grid scrolls inside its own frame.
  await page.setViewportSize({ width: 390, height: 844 });
  for (const path of ['/whos-off', '/leave']) {
    await page.goto(`${BASE}${path}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${path} is ${overflow}px wider than a phone`);
  }
  await page.screenshot({ path: join(SHOTS, 'c-my-leave-phone.png') });
  await page.context().close();
});

test("(d) a super user sees the whole company's month", async () => {
  const page = await freshPage();
  await signIn(page, OWNER);
  await page.getByRole('link', { name: "Who's off" }).click();
  await page.waitForURL(`${BASE}/whos-off`);
  const rows = await page.locator('table.grid tbody tr').count();
  assert.ok(rows >= 50, `every active person of the demo company: ${rows}`);
  assert.ok(await page.locator('table.grid .m').count() > 0, 'some leave this month');
  await accessible(page);
  await page.screenshot({ path: join(SHOTS, 'd-whos-off-company.png'), fullPage: true });
  await page.context().close();
});

test('(e) their approver reads the report: charts drawn on the server and the staff as CSV', async () => {
  assert.ok(state.start, 'journey (a) asked for leave');
  const page = await freshPage();
  await signIn(page, APPROVER);
  await page.getByRole('link', { name: 'Reports' }).click();
  await page.waitForURL(`${BASE}/reports`);
  const year = state.start.slice(0, 4);
  await page.getByLabel('From', { exact: true }).fill(`${year}-01-01`);
  await page.getByLabel('To', { exact: true }).fill(`${year}-12-31`);
  await page.getByRole('button', { name: 'Show' }).click();
  await page.waitForURL(/\/reports\?from=/);
  for (const name of ['Absences by leave type', 'Absences by how long they last', 'Days of absence by the month it starts']) {
    await page.getByRole('img', { name }).waitFor();
  }
  const month = page.locator('figure', { hasText: 'by the month it starts' }).locator('title', { hasText: `${state.start.slice(0, 7)}:` });
  assert.match(await month.textContent(), /\d/);
  assert.ok(await page.getByRole('row', { name: new RegExp(state.name) }).count() >= 1, 'the staff member is listed');
  await accessible(page);
  await page.screenshot({ path: join(SHOTS, 'e-reports.png'), fullPage: true });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download the staff as CSV' }).click(),
  ]);
  const csv = await readFile(await download.path(), 'utf8');
  assert.match(csv, /^user_id,first_name,last_name,/);
  await page.context().close();
});

test('(f) the staff member logs overtime and their approver approves it', async () => {
  assert.ok(state.end, 'journey (a) asked for leave');
  // The Wednesday after the leave: a working day the leave does not cover.
  const wednesday = iso(new Date(Date.parse(`${state.end}T00:00:00Z`) + 86400000));
  const page = await freshPage();
  await signIn(page, STAFF);
  await page.getByRole('link', { name: 'Overtime' }).click();
  await page.waitForURL(`${BASE}/overtime`);
  await accessible(page);
  await page.getByLabel('Type', { exact: true }).selectOption({ label: 'Overtime' });
  await page.getByLabel('Started on').fill(wednesday);
  await page.getByLabel('Started at').fill('17:00');
  await page.getByLabel('Ended on').fill(wednesday);
  await page.getByLabel('Ended at').fill('19:30');
  await page.getByLabel(/What it was for/).fill('Stocktake');
  await page.getByRole('button', { name: 'Log overtime' }).click();
  await page.waitForURL(`${BASE}/overtime?done=logged`);
  const logged = `${wednesday} 17:00–19:30`;
  await page.locator('ul.requests li', { hasText: logged }).getByText('pending').waitFor();
  await accessible(page);
  await page.screenshot({ path: join(SHOTS, 'f-overtime.png') });
  await page.context().close();

  const approver = await freshPage();
  await signIn(approver, APPROVER);
  await approver.goto(`${BASE}/approvals`);
  const overtime = approver.locator('section', { has: approver.locator('#overtime-h') });
  const card = overtime.locator('article.waiting', { hasText: state.name }).filter({ hasText: logged });
  await card.waitFor();
  await accessible(approver);
  await card.getByRole('button', { name: /^Approve/ }).click();
  await approver.waitForURL(`${BASE}/approvals?done=approved`);
  await approver.context().close();

  const again = await freshPage();
  await signIn(again, STAFF);
  await again.goto(`${BASE}/overtime`);
  await again.locator('ul.requests li', { hasText: logged }).getByText('approved').waitFor();
  await again.setViewportSize({ width: 390, height: 844 });
  const overflow = await again.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `/overtime is ${overflow}px wider than a phone`);
  await again.context().close();
});

/** `"12 days"` plus `n` days, written as the page writes it. */
function addDays(text, n) {
  const value = Number(text.split(' ')[0]) + n;
  return `${value} ${Math.abs(value) === 1 ? 'day' : 'days'}`;
}
