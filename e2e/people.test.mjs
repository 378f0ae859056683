// People in a real browser, on one fresh `rota demo`: (a) a super user imports 500 people
// from a CSV file the test writes (unique e-mails), sees the preview, confirms, watches the
// progress bar finish, and finds an imported person in the list; (b) a super user adds a
// person, edits them and archives them. Each saves a screenshot; axe-core checks every
// page visited.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASE, SHOTS, OWNER, freshPage, accessible, signIn } from './lib.mjs';

const PEOPLE = 500;

/** A CSV of `count` new people with e-mails no demo has: a header, then one line each. */
function peopleCsv(count) {
  const run = Date.now().toString(36);
  const lines = ['email,first_name,last_name,job_title,working_days'];
  for (let i = 1; i <= count; i += 1) {
    lines.push(`imported-${run}-${i}@people.test,Imported${i},Person${run},Tester,monday;tuesday;wednesday`);
  }
  return { csv: `${lines.join('\r\n')}\r\n`, run };
}

test('(a) a super user imports 500 people from CSV', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rota-people-'));
  const { csv, run } = peopleCsv(PEOPLE);
  const file = join(dir, 'people.csv');
  writeFileSync(file, csv);
  try {
    const page = await freshPage();
    await signIn(page, OWNER, '/people');
    await accessible(page);
    await page.getByRole('link', { name: 'Import from CSV' }).click();
    await page.waitForURL(`${BASE}/people/import`);
    await accessible(page);
    await page.getByLabel('CSV file').setInputFiles(file);
    await page.getByRole('button', { name: 'Preview' }).click();
    const summary = page.locator('#import-summary');
    await summary.waitFor();
    assert.match((await summary.innerText()).replace(/\s+/g, ' '), new RegExp(`create ${PEOPLE}, update 0 and refuse 0 lines`));
    await accessible(page);
    await page.screenshot({ path: join(SHOTS, 'people-import-preview.png') });

    await page.getByRole('button', { name: 'Import' }).click();
    await page.locator('#import-progress:not([hidden])').waitFor();
    await page.getByText(new RegExp(`Imported \\d+ of ${PEOPLE} rows`)).waitFor();
    await page.screenshot({ path: join(SHOTS, 'people-import-progress.png') });
    await page.waitForURL(`${BASE}/people?done=imported&created=${PEOPLE}&updated=0&refused=0`, { timeout: 120000 });
    await page.getByText(`Imported: ${PEOPLE} created, 0 updated, 0 refused.`).waitFor();
    await accessible(page);

    await page.getByLabel('Name or e-mail').fill(`imported-${run}-250@`);
    await page.getByRole('button', { name: 'Search' }).click();
    const person = page.getByRole('link', { name: `Imported250 Person${run}` });
    await person.waitFor();
    await accessible(page);
    await person.click();
    await page.getByLabel('Job title').waitFor();
    assert.equal(await page.getByLabel('Job title').inputValue(), 'Tester');
    assert.ok(await page.getByRole('checkbox', { name: 'Wednesday' }).isChecked());
    assert.ok(!(await page.getByRole('checkbox', { name: 'Friday' }).isChecked()));
    await accessible(page);
    await page.context().close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('(b) a super user adds, edits and archives a person', async () => {
  const page = await freshPage();
  await signIn(page, OWNER, '/people');
  await page.getByRole('link', { name: 'Add a person' }).click();
  await page.waitForURL(`${BASE}/people/new`);
  await accessible(page);
  await page.getByLabel('First name').fill('Robin');
  await page.getByLabel('Last name').fill('Journey');
  await page.getByLabel('E-mail').fill('robin@localhost');
  await page.getByRole('button', { name: 'Add the person' }).click();
  await page.locator('#email-error').waitFor();
  assert.match(await page.locator('#email-error').innerText(), /not a valid e-mail address/);
  await accessible(page);
  await page.getByLabel('E-mail').fill('robin.journey@people.test');
  await page.getByRole('button', { name: 'Add the person' }).click();
  await page.getByText('The person is added.').waitFor();
  await accessible(page);

  await page.getByLabel('Job title').fill('Night manager');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByText('The changes are saved.').waitFor();
  assert.equal(await page.getByLabel('Job title').inputValue(), 'Night manager');
  await accessible(page);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(SHOTS, 'people-person-phone.png'), fullPage: false });
  await page.setViewportSize({ width: 1280, height: 860 });

  await page.getByRole('button', { name: 'Archive' }).click();
  await page.waitForURL(`${BASE}/people?done=archived`);
  await page.getByText('The person is archived.').waitFor();
  assert.equal(await page.getByRole('link', { name: 'Robin Journey' }).count(), 0);
  await accessible(page);
  await page.getByLabel('Status').selectOption('archived');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('link', { name: 'Robin Journey' }).waitFor();
  await accessible(page);
  await page.screenshot({ path: join(SHOTS, 'people-list.png') });
  await page.context().close();
});
