// Opens a heapscope HTML report in headless Chromium, does what a person would (filter, click, search) and
// prints what they would see as one JSON object; the JUnit tests (src/test/java/heapscope/report) assert on it.
//   node check.mjs REPORT.html STEPS.json
// STEPS.json: {"javaScript": true, "steps": [{"do": "summary"}, {"do": "filter", "text": "..."}, ...]}
import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.HEAPSCOPE_CHROMIUM || '/usr/bin/chromium';
const [report, stepsFile] = process.argv.slice(2);
if (!report || !stepsFile) {
  console.error('usage: node check.mjs REPORT.html STEPS.json');
  process.exit(2);
}
if (!existsSync(CHROMIUM)) {
  console.error(`${CHROMIUM} is missing: run scripts/deps/browser.sh`);
  process.exit(3);
}
const plan = JSON.parse(readFileSync(stepsFile, 'utf8'));

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--no-first-run', '--disable-sync'],
});
const out = { consoleErrors: [], requests: [], dialogs: [], steps: [] };
try {
  const context = await browser.newContext({ javaScriptEnabled: plan.javaScript !== false, viewport: { width: 1200, height: 900 } });
  // the report must need nothing but itself: any request that is not the file is recorded and refused
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    out.requests.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') out.consoleErrors.push(m.type() + ': ' + m.text()); });
  page.on('pageerror', (e) => out.consoleErrors.push('pageerror: ' + e.message));
  page.on('dialog', (d) => { out.dialogs.push(d.message()); d.dismiss(); });
  const started = Date.now();
  await page.goto(pathToFileURL(resolve(report)).href, { waitUntil: 'load' });
  if (plan.javaScript !== false) {
    await page.waitForFunction(() => window.__heapscopeRendered !== undefined, null, { timeout: 60000 });
    out.renderMs = await page.evaluate(() => window.__heapscopeRendered);
  }
  out.loadMs = Date.now() - started;
  out.pwned = await page.evaluate(() => window.__pwned === true);
  out.images = await page.locator('img').count();
  out.title = await page.title();
  for (const step of plan.steps || []) {
    out.steps.push(await run(page, step));
  }
  await page.waitForTimeout(50);
  out.pwned = out.pwned || await page.evaluate(() => window.__pwned === true);
} finally {
  await browser.close();
}
console.log(JSON.stringify(out));

async function text(page, selector) {
  const l = page.locator(selector);
  // textContent: SVG text has no innerText
  return (await l.count()) ? (await l.first().textContent()).trim() : null;
}

async function visibleRows(page) {
  return page.locator('#leak-table tbody tr.row').count();
}

async function run(page, step) {
  switch (step.do) {
    case 'summary':
      return {
        verdict: await text(page, '#verdict'),
        leakedBytes: await text(page, '#fig-leaked-bytes .value'),
        leakedBlocks: await text(page, '#fig-leaked-blocks .value'),
        steady: await text(page, '#fig-steady .value'),
        regions: await page.locator('#regions tbody tr').allInnerTexts(),
        tasks: await page.locator('#tasks tbody tr').allInnerTexts(),
        warnings: await page.locator('#diagnostics li').allInnerTexts(),
        elfMismatch: await page.locator('.elf-mismatch').count(),
      };
    case 'rows':
      return { rows: await visibleRows(page), count: await text(page, '#row-count'), page: await text(page, '#page'),
        pager: await page.locator('.pager').isVisible(),
        first: await page.locator('#leak-table tbody tr.row').first().innerText().catch(() => null) };
    case 'staticRows':
      return { rows: await page.locator('#static-rows tbody > tr').count(), details: await page.locator('#static-rows details').count(),
        firstSummary: await text(page, '#static-rows details summary'), rules: await page.locator('#static-rows .rule').count() };
    case 'filter': {
      const t0 = Date.now();
      await page.fill('#filter', step.text);
      await page.waitForFunction((q) => {
        const c = document.getElementById('row-count');
        return q === '' ? !/ of /.test(c.textContent) : / of /.test(c.textContent);
      }, step.text, { timeout: 10000 }).catch(() => {});
      return { rows: await visibleRows(page), count: await text(page, '#row-count'), ms: Date.now() - t0,
        labels: await page.locator('#leak-table tbody tr.row td:last-child').allInnerTexts() };
    }
    case 'sort': {
      const t0 = Date.now();
      await page.click(`#leak-table th[data-key="${step.key}"]`);
      return { ms: Date.now() - t0, first: await page.locator('#leak-table tbody tr.row').first().innerText() };
    }
    case 'next': {
      const t0 = Date.now();
      await page.click('#next');
      return { ms: Date.now() - t0, page: await text(page, '#page'), rows: await visibleRows(page) };
    }
    case 'expand': {
      const before = await page.locator('#leak-table tr.stack').count();
      const t0 = Date.now();
      await page.locator('#leak-table tbody tr.row').nth(Number(step.row || 0)).click();
      const stack = page.locator('#leak-table tr.stack').first();
      return { before, after: await page.locator('#leak-table tr.stack').count(), ms: Date.now() - t0,
        visible: await stack.isVisible().catch(() => false),
        lines: await stack.locator('.frames > div').allInnerTexts().catch(() => []),
        inlined: await stack.locator('.frames > div.inl').count().catch(() => 0) };
    }
    case 'expandByKey': {
      // keyboard only: focus the row and press Enter
      const before = await page.locator('#leak-table tr.stack').count();
      await page.locator('#leak-table tbody tr.row').nth(Number(step.row || 0)).focus();
      await page.keyboard.press('Enter');
      return { before, after: await page.locator('#leak-table tr.stack').count(),
        expanded: await page.locator('#leak-table tbody tr.row').nth(Number(step.row || 0)).getAttribute('aria-expanded') };
    }
    case 'flameSearch': {
      await page.fill('#flame-search', step.text);
      const names = await page.locator('#flame-svg rect.match').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-name')));
      return { matches: names.length, names, info: await text(page, '#flame-match'), frames: await page.locator('#flame-svg rect').count() };
    }
    case 'flameZoom': {
      await page.locator(`#flame-svg rect[data-name="${step.name}"]`).first().dispatchEvent('click');
      const w = await page.locator(`#flame-svg rect[data-name="${step.name}"]`).first().getAttribute('width');
      return { width: Number(w), svgWidth: Number(await page.locator('#flame-svg').getAttribute('width')) };
    }
    case 'flameKeys': {
      // keyboard only: Escape from a frame zooms out; Tab through the frames until the named one has focus, Enter
      // zooms into it, Escape zooms out again
      await page.locator('#flame-svg g[role="button"]').first().focus();
      await page.keyboard.press('Escape');
      let name = null;
      for (let i = 0; i < 200 && name !== step.name; i++) {
        await page.keyboard.press('Tab');
        name = await page.evaluate(() => { const r = document.activeElement && document.activeElement.querySelector('rect'); return r ? r.getAttribute('data-name') : null; });
      }
      await page.keyboard.press('Enter');
      const rect = page.locator(`#flame-svg rect[data-name="${step.name}"]`).first();
      const zoomed = Number(await rect.getAttribute('width'));
      const focused = await page.evaluate(() => { const r = document.activeElement && document.activeElement.querySelector('rect'); return r ? r.getAttribute('data-name') : null; });
      await page.keyboard.press('Escape');
      return { reached: name, zoomed, focused, after: Number(await rect.getAttribute('width')),
        svgWidth: Number(await page.locator('#flame-svg').getAttribute('width')) };
    }
    case 'charts':
      return {
        live: await page.locator('#live-chart polygon.band').count(),
        lastLine: await page.locator('#live-chart polyline.lastline').count(),
        free: await page.locator('#free-chart polyline.free').count(),
        lowWater: await page.locator('#free-chart line.lowwater').count(),
        markers: await page.locator('#live-chart line.marker').count(),
        bars: await page.locator('#cycle-chart rect.bar').count(),
        steady: await text(page, '#steady-label'),
      };
    case 'diff':
      return {
        columns: await page.locator('.columns .column h3').allInnerTexts(),
        fixed: await page.locator('#col-fixed tbody tr').allInnerTexts(),
        added: await page.locator('#col-new tbody tr').allInnerTexts(),
        grown: await page.locator('#col-grown tbody tr').allInnerTexts(),
        shrunk: await page.locator('#col-shrunk tbody tr').allInnerTexts(),
      };
    case 'diffFilter': {
      await page.fill('#diff-filter', step.text);
      const visible = (id) => page.locator(`#${id} tbody tr:not([hidden])`).count();
      return { fixed: await visible('col-fixed'), same: await visible('col-same'),
        counts: await page.locator('.column .count').allTextContents() };
    }
    case 'text':
      return { texts: await page.locator(step.selector).evaluateAll((es) => es.map((e) => e.textContent)) };
    case 'attrs': // the text and the named attributes (comma-separated) of every element matching the selector
      return { elements: await page.locator(step.selector).evaluateAll((es, names) => es.map((e) => {
        const o = { text: e.textContent };
        names.split(',').forEach((n) => { o[n] = e.getAttribute(n); });
        return o;
      }), step.names || '') };
    case 'screenshot': {
      const target = step.selector ? page.locator(step.selector).first() : page;
      await target.screenshot({ path: step.path, ...(step.selector ? {} : { fullPage: false }) });
      return { path: step.path };
    }
    default:
      throw new Error('unknown step ' + step.do);
  }
}
