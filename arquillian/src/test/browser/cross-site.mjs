// Cross-site request forgery, tried for real: an operator's browser holds Courier's credentials
// (the monitor's session cookie, or HTTP Basic for the scripts' API) and opens a page of another
// origin on the same host, which tries every state-changing admin request three ways — an
// auto-submitted form (Content-Type text/plain), a no-cors fetch with the credentials, and a CORS
// fetch that sets Courier's X-Courier-Request header. Driven by CrossSiteBrowserIT, which checks
// afterwards that nothing changed on the server. Exit code 0 when every attack ran (and every
// CORS fetch was stopped by the browser, and the operator is still signed in), 1 otherwise, 2 for
// a wrong command line.
//
//   node cross-site.mjs --courier=http://localhost:8080/courier/ --user=U --password=P \
//     --attacks=attacks.json --port=18099 --screenshot=target/cross-site.png [--timeout=60]
//
// attacks.json: {"monitor": [{"method": "POST", "path": "api/..."}, ...], "basic": [...]}, paths
// relative to the monitor (/courier/monitor/) and to Courier (/courier/) respectively.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { commandLine, log, runInChromium, signInWithForm, StepFailed } from './script.mjs';

const args = commandLine('cross-site.mjs', ['courier', 'user', 'password', 'attacks', 'port', 'screenshot']);
const attacks = JSON.parse(readFileSync(args.attacks, 'utf8'));
const timeoutMs = Number(args.timeout || 60) * 1000;
const courier = new URL(args.courier);
const monitor = new URL('monitor/', courier);
const evil = `http://localhost:${args.port}/`;

// ---------------------------------------------------------------- the other site

/** The attacker's page: runs the attacks against `base` when opened, then shows the outcomes as JSON. */
function attackerPage(base, list) {
  return `<!DOCTYPE html><html><head><title>cute cats</title></head><body><h1>Cute cats</h1><pre id="out"></pre>
<script>
const base = ${JSON.stringify(base)};
const attacks = ${JSON.stringify(list)};
async function attack(a, i) {
  const url = base + a.path;
  const outcome = { method: a.method, path: a.path };
  if (a.method === 'POST') {
    const frame = document.createElement('iframe');
    frame.name = 'target' + i;
    document.body.append(frame);
    const form = document.createElement('form');
    form.method = 'POST';
    form.action = url;
    form.enctype = 'text/plain';
    form.target = frame.name;
    const field = document.createElement('input');
    field.name = 'forged';
    field.value = 'yes';
    form.append(field);
    document.body.append(form);
    await new Promise((resolve) => { frame.onload = resolve; form.submit(); setTimeout(resolve, 5000); });
    outcome.form = 'submitted';
  }
  try {
    await fetch(url, { method: a.method, mode: 'no-cors', credentials: 'include',
      headers: { 'Content-Type': 'text/plain' }, body: 'forged=yes' });
    outcome.noCors = 'sent';
  } catch (e) {
    outcome.noCors = 'blocked: ' + e.message;
  }
  try {
    const answer = await fetch(url, { method: a.method, mode: 'cors', credentials: 'include',
      headers: { 'X-Courier-Request': 'forged' } });
    outcome.cors = 'answered ' + answer.status;
  } catch (e) {
    outcome.cors = 'blocked: ' + e.message;
  }
  return outcome;
}
(async () => {
  const outcomes = [];
  for (let i = 0; i < attacks.length; i++) outcomes.push(await attack(attacks[i], i));
  document.getElementById('out').textContent = JSON.stringify(outcomes);
  document.title = 'done';
})();
</script></body></html>`;
}

const server = http.createServer((request, response) => {
  const door = new URL(request.url, evil).searchParams.get('door');
  const base = door === 'monitor' ? monitor.href : courier.href;
  response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
  response.end(attackerPage(base, attacks[door] || []));
});
await new Promise((resolve) => server.listen(Number(args.port), '127.0.0.1', resolve));

// ---------------------------------------------------------------- the operator's browser

async function runAttacks(page, door) {
  log(`the operator opens ${evil}?door=${door}`);
  await page.goto(`${evil}?door=${door}`, { waitUntil: 'load' });
  await page.waitForFunction(() => document.title === 'done', null, { timeout: timeoutMs });
  const outcomes = JSON.parse(await page.locator('#out').textContent());
  for (const outcome of outcomes) {
    log(`${door}: ${outcome.method} ${outcome.path}: form ${outcome.form || '-'}, no-cors ${outcome.noCors}, cors ${outcome.cors}`);
    if (!outcome.cors.startsWith('blocked')) {
      throw new StepFailed(`the browser let a CORS request with X-Courier-Request through: ${JSON.stringify(outcome)}`);
    }
  }
  if (outcomes.length !== (attacks[door] || []).length) throw new StepFailed(`${door}: not every attack ran`);
}

/** Opens the monitor in a new tab; signs in on the login page if `signIn`, else expects no login page. */
async function monitorPage(context, signIn) {
  const page = await context.newPage();
  await page.goto(monitor.href, { waitUntil: 'load' });
  const loginPage = (await page.locator('[data-testid="login-form"]').count()) === 1;
  if (loginPage && !signIn) throw new StepFailed('the operator was signed out: the monitor shows its login page');
  if (loginPage) await signInWithForm(page, args.user, args.password);
  await page.waitForFunction((user) => {
    const shown = document.querySelector('[data-testid="account-user"]');
    return shown && shown.textContent === user;
  }, args.user, { timeout: 15000 });
  return page;
}

await runInChromium(args.screenshot, async (browser, shown) => {
  // 1. signed in to the monitor (its session cookie), the operator visits the other site
  const sessionContext = await browser.newContext();
  shown.page = await monitorPage(sessionContext, true);
  log(`signed in to the monitor as ${args.user}`);
  shown.page = await sessionContext.newPage();
  await runAttacks(shown.page, 'monitor');
  shown.page = await monitorPage(sessionContext, false);
  log('the operator is still signed in to the monitor');

  // 2. the browser holds HTTP Basic credentials for Courier (as after a visit of the scripts' API)
  const basicContext = await browser.newContext({ httpCredentials: { username: args.user, password: args.password } });
  shown.page = await basicContext.newPage();
  const me = await shown.page.goto(new URL('api/me', courier).href);
  if (!me || me.status() !== 200) throw new StepFailed(`Basic sign-in to ${courier.href}api/me answered ${me && me.status()}`);
  log(`the browser holds Basic credentials of ${args.user} for ${courier.origin}`);
  await runAttacks(shown.page, 'basic');
  log('PASSED: every attack ran; the browser stopped every CORS request');
}, () => server.close());
