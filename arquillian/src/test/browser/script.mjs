// What the browser scripts share: their command line, their log, a step that failed, a watched
// page and its polling, the monitor's login form, and Chromium with the run's exit code
// (0 passed, 1 failed with the reason on stderr and a screenshot, 2 a wrong command line).
//
// Chromium is Debian's /usr/bin/chromium unless CHROMIUM names another.
import { chromium } from 'playwright-core';

/** A step whose expectation was not met: its message is the whole report (no stack). */
export class StepFailed extends Error {}

export function log(message) {
  console.log(`${new Date().toISOString()} ${message}`);
}

/**
 * The arguments --name=value of this script as an object; exits with 2 and the problem when one
 * is not of that form, a `required` one is missing, or `check` (given the arguments) names a problem.
 */
export function commandLine(script, required, check = () => null) {
  const usage = (problem) => {
    console.error(`${script}: ${problem}`);
    process.exit(2);
  };
  const args = Object.fromEntries(process.argv.slice(2).map((arg) => {
    const match = /^--([^=]+)=(.*)$/s.exec(arg);
    if (!match) usage(`not --name=value: ${arg}`);
    return [match[1], match[2]];
  }));
  for (const name of required) {
    if (!args[name]) usage(`--${name} is missing`);
  }
  const problem = check(args);
  if (problem) usage(problem);
  return args;
}

/** The trimmed text of the first element found, or "(absent)". */
export async function textOf(locator) {
  return (await locator.count()) ? (await locator.first().textContent()).trim() : '(absent)';
}

/**
 * Watches a page: a dialog is logged and dismissed, a script error of the page fails the run.
 * Returns `until(what, probe)`, which polls `probe` (answering [ok, what it saw]) until ok or until
 * `timeoutMs` after this call have passed, and fails at once when the page shows an error
 * (data-testid "error") or its script failed. A probe that throws while the page changes is tried again.
 */
export function watch(page, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  const pageErrors = [];
  page.on('dialog', (dialog) => {
    log(`unexpected dialog: ${dialog.message()}`);
    dialog.dismiss();
  });
  page.on('pageerror', (error) => {
    log(`page script error: ${error.message}`);
    pageErrors.push(error.message);
  });
  page.setDefaultTimeout(15000);
  return async function until(what, probe) {
    let last = '';
    while (Date.now() < deadline) {
      if (pageErrors.length) throw new StepFailed(`the page's script failed: ${pageErrors.join(' | ')}`);
      let ok = false;
      try {
        const errors = await page.locator('[data-testid="error"]').allTextContents();
        if (errors.length) throw new StepFailed(`the page shows an error while waiting for ${what}: ${errors.join(' | ')}`);
        [ok, last] = await probe();
      } catch (e) {
        if (e instanceof StepFailed) throw e;
        last = `${e.message} (while the page changed)`;
      }
      if (ok) return;
      await page.waitForTimeout(200);
    }
    throw new StepFailed(`gave up after ${timeoutMs / 1000} s waiting for ${what}; last seen: ${last}`);
  };
}

/** Signs in on the monitor's login page, which the page shows; true when it did, false if there was none. */
export async function signInWithForm(page, user, password) {
  if ((await page.locator('[data-testid="login-form"]').count()) !== 1) return false;
  await page.fill('[data-testid="login-user"]', user);
  await page.fill('[data-testid="login-password"]', password);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('[data-testid="login-submit"]')]);
  return true;
}

/**
 * Opens the monitor at `url`, signs in on its login page and waits until the page shows `user`
 * signed in; fails the run when the monitor does not answer or shows no login page.
 */
export async function openMonitorSignedIn(page, until, url, user, password) {
  log(`opening ${url}`);
  const response = await page.goto(url, { waitUntil: 'load' });
  if (!response || !response.ok()) {
    throw new StepFailed(`the monitor answered ${response ? response.status() : 'nothing'} at ${url}`);
  }
  if (!await signInWithForm(page, user, password)) throw new StepFailed('no login page before the monitor');
  await until(`the monitor, signed in as ${user}`, async () => {
    const shown = await textOf(page.locator('[data-testid="account-user"]'));
    return [shown === user, `signed in as ${shown} at ${page.url()}`];
  });
  log(`signed in as ${user}`);
}

/** A CSS attribute value, quoted. */
export function quoted(value) {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * Launches headless Chromium, runs `steps(browser, shown)` and exits: 0 when the steps returned, 1
 * when they threw (the reason on stderr, a screenshot of `shown.page` to `screenshot` if the steps
 * set one). `cleanup` runs last either way.
 */
export async function runInChromium(screenshot, steps, cleanup = () => {}) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    // root in CI containers: Chromium's sandbox needs user namespaces it may not have
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--disable-quic', '--disable-background-networking'],
  });
  const shown = { page: null };
  let exitCode = 0;
  try {
    await steps(browser, shown);
  } catch (e) {
    exitCode = 1;
    console.error(`FAILED: ${e instanceof StepFailed ? e.message : e.stack}`);
    try {
      if (shown.page) {
        await shown.page.screenshot({ path: screenshot, fullPage: true });
        console.error(`screenshot: ${screenshot}`);
      }
    } catch (shot) {
      console.error(`no screenshot: ${shot.message}`);
    }
  } finally {
    await browser.close();
    await cleanup();
  }
  process.exit(exitCode);
}

/** runInChromium with one page in a fresh context: `run(page)`, then `passed` logged. */
export async function runOnOnePage(screenshot, run, passed) {
  await runInChromium(screenshot, async (browser, shown) => {
    const context = await browser.newContext();
    shown.page = await context.newPage();
    await run(shown.page);
    log(passed);
  });
}
