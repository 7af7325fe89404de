// Opens an HTML report in headless Chromium as a user would, and prints as JSON what it
// found: console and page errors, the counts of what is drawn, and what a few interactions
// (filtering, picking a finding, hovering a band, paging the sequence) did.
//
// usage: node check.mjs REPORT.html SCREENSHOT.png [trace|run] [RULE]
import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';

const [report, screenshot, kind = 'trace', rule = ''] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const result = { consoleErrors: [], pageErrors: [], requests: [] };
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('console', (message) => {
    if (message.type() === 'error') result.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => result.pageErrors.push(String(error)));
  page.on('request', (request) => {
    if (!request.url().startsWith('file:')) result.requests.push(request.url());
  });
  await page.goto(pathToFileURL(report).href);
  await page.waitForSelector('body[data-ready]', { timeout: 10000 });
  const count = (selector) => page.locator(selector).count();
  if (kind === 'run') {
    result.cases = await count('section.case');
    result.failedCases = await count('section.case[data-status="fail"]');
    result.failingStepMessages = await count('section.case .msg.failing-step');
    result.deviationRows = await count('tr.deviation-row');
    result.sequenceMessages = await count('section.case .msg');
    result.findingMarks = await count('section.case .finding-mark');
  } else {
    result.chargePoints = await count('#overview tbody tr');
    result.bands = await count('svg.timeline rect.band');
    result.sessions = await count('section.session');
    result.sessionRows = await count('tr.session-row');
    result.jumps = await count('svg.session-chart circle.jump');
    result.powerLines = await count('svg.session-chart path.power');
    result.findingsRows = await count('tr.finding-row');
    result.sequenceMessages = await count('svg.sequence .msg');
    result.ruleRows = await count('#rules tbody tr');
    if (result.bands > 0) {
      await page.locator('svg.timeline rect.band').first().hover();
      result.tooltip = await page.locator('#tooltip').evaluate((t) =>
        (getComputedStyle(t).display === 'block' ? t.textContent : ''));
    }
    if (await count('#sequence-next') > 0 && await page.locator('#sequence-next').isEnabled()) {
      const first = await page.locator('svg.sequence .msg').first().getAttribute('data-record');
      await page.click('#sequence-next');
      result.pagedSequence = (await page.locator('svg.sequence .msg').first().getAttribute('data-record')) !== first;
      await page.click('#sequence-previous');
    }
    if (rule) {
      await page.selectOption('#filter-rule', rule);
      result.filteredRows = await count('tr.finding-row');
      // Picking a finding shows its charge point and the message it is about.
      const row = page.locator('tr.finding-row').first();
      const line = await row.locator('td').nth(1).textContent();
      const point = await row.locator('td').nth(2).textContent();
      await row.click();
      result.picked = { line, point };
      result.pickedPointShown = await page.locator('#charge-point option:checked').textContent();
      result.pickedMarks = await count('svg.sequence .finding-mark');
      result.pickedShown = await count('svg.sequence .msg.picked');
    }
  }
  await page.screenshot({ path: screenshot, fullPage: true });
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
