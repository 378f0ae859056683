// API access in a real browser, journeys that follow one another on one fresh `rota demo`:
// (a) a super user turns API access on and creates an API client, copies its secret from
// the page (with the copy button, through the clipboard), and a call with it succeeds:
// Node exchanges the App ID and secret for a token at /api/v1/oauth/token, as
// docs/api-access.md does, and reads people with it; the secret is not shown again;
// (b) a webhook is created and its delivery log shown, empty and then with a test ping;
// (c) the audit log, filtered, shows the client's creation; (d) the pages fit a phone.
// Each saves a screenshot; axe-core checks every page visited.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { BASE, SHOTS, OWNER, freshPage, accessible, signIn } from './lib.mjs';

const state = {};

/** A signed-in page of the demo's owner, with the clipboard allowed. */
async function ownerPage(path) {
  const page = await freshPage();
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE });
  await signIn(page, OWNER, path);
  return page;
}

test('(a) a super user creates an API client, copies its secret, and a call with it succeeds', async () => {
  const page = await ownerPage('/access');
  await page.getByRole('heading', { name: 'API access is off' }).waitFor();
  await accessible(page);
  await page.getByRole('button', { name: 'Enable API access' }).click();
  await page.getByText('This is the only time it is shown.').waitFor();
  await accessible(page);
  await page.getByRole('link', { name: 'I have copied it: go back' }).click();
  await page.getByRole('heading', { name: 'API access is on' }).waitFor();

  // A client for the payroll bureau: read people and leave, with at most approver rights.
  const form = page.locator('form[action="/access/clients"]');
  await form.getByLabel('Name', { exact: true }).fill('Payroll bureau');
  await form.getByLabel('people read', { exact: true }).check();
  await form.getByLabel('leave read', { exact: true }).check();
  await form.getByLabel(/^Role ceiling/).selectOption({ label: 'Approver' });
  await accessible(page);
  await page.screenshot({ path: join(SHOTS, 'access-a-clients.png'), fullPage: true });
  await form.getByRole('button', { name: 'Create the client' }).click();
  await page.getByText('This is the only time it is shown.').waitFor();

  // Copy it as a person would: the button puts it on the clipboard.
  state.appId = await page.getByLabel('App ID (client_id)').inputValue();
  await page.getByRole('button', { name: 'Copy the Client secret' }).click();
  await page.getByText('Copied to the clipboard.').waitFor();
  const secret = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(secret, await page.getByLabel('Client secret', { exact: true }).inputValue());
  assert.match(secret, /^rota_cs_/);
  await accessible(page);
  await page.screenshot({ path: join(SHOTS, 'access-a-secret.png') });

  // The bureau's system gets a token with it and calls the API.
  const api = `${BASE}/api/v1`;
  const issued = await fetch(`${api}/oauth/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: state.appId, client_secret: secret }),
  });
  assert.equal(issued.status, 200, await issued.clone().text());
  const { access_token: token, scope } = await issued.json();
  assert.match(token, /^rota_at_/);
  assert.match(scope, /people:read/);
  const people = await fetch(`${api}/users?limit=5`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(people.status, 200, await people.clone().text());
  assert.ok((await people.json()).data.length > 0, 'people listed');
  const write = await fetch(`${api}/departments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Not in its scopes' }),
  });
  assert.equal(write.status, 403, 'a read-only client may not write');

  // Never shown again: the list names the client, not its secret.
  await page.goto(`${BASE}/access`);
  await page.getByText(state.appId).waitFor();
  assert.ok(!(await page.content()).includes(secret), 'the secret is not on the page again');
  await page.context().close();
});

test('(b) a webhook is created and its delivery log shown', async () => {
  const page = await ownerPage('/access/webhooks');
  await page.getByText('No webhook yet.').waitFor();
  await accessible(page);
  // 203.0.113.10 stands for the receiver's public address (docs/webhooks.md).
  await page.getByLabel(/^URL/).fill('https://203.0.113.10/rota');
  await page.getByLabel(/^Description/).fill('Payroll bureau');
  await page.getByLabel('leave.approved', { exact: true }).check();
  await page.getByLabel('user.archived', { exact: true }).check();
  await page.getByRole('button', { name: 'Create the webhook' }).click();
  await page.getByText('This is the only time it is shown.').waitFor();
  assert.match(await page.getByLabel('Signing secret', { exact: true }).inputValue(), /^rota_whsec_/);
  await accessible(page);
  await page.getByRole('link', { name: 'I have copied it: go back' }).click();
  await page.getByRole('heading', { name: 'Delivery log' }).waitFor();
  await page.getByText('Nothing delivered yet.').waitFor();
  await accessible(page);
  await page.getByRole('button', { name: 'Send a test ping' }).click();
  await page.getByText('A ping is queued; its delivery shows below.').waitFor();
  const log = page.locator('table.log');
  await log.getByText('ping', { exact: true }).waitFor();
  await accessible(page);
  await page.screenshot({ path: join(SHOTS, 'access-b-webhook.png'), fullPage: true });
  await page.context().close();
});

test('(c) the audit log, filtered, shows the client\'s creation', async () => {
  const page = await ownerPage('/access/audit');
  await accessible(page);
  await page.getByLabel('Action', { exact: true }).fill('client.created');
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.waitForURL(/action=client.created/);
  const rows = page.locator('table.audit tbody tr');
  assert.equal(await rows.count(), 2, 'the first client and the bureau\'s');
  await rows.filter({ hasText: 'Payroll bureau' }).first().waitFor();
  await accessible(page);
  await page.screenshot({ path: join(SHOTS, 'access-c-audit.png'), fullPage: true });
  // A row's subject leads to everything about that client.
  await rows.filter({ hasText: 'Payroll bureau' }).getByRole('link', { name: /^api_client / }).click();
  await page.waitForURL(/target_type=api_client/);
  await page.locator('table.audit').getByText('client.created').waitFor();
  await accessible(page);
  await page.context().close();
});

test('(d) the access pages fit a phone', async () => {
  const page = await ownerPage('/access');
  await page.setViewportSize({ width: 390, height: 844 });
  for (const path of ['/access', '/access/webhooks', '/access/audit']) {
    await page.goto(`${BASE}${path}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${path} is ${overflow}px wider than the phone`);
    await accessible(page);
  }
  await page.screenshot({ path: join(SHOTS, 'access-d-audit-phone.png'), fullPage: true });
  await page.context().close();
});
