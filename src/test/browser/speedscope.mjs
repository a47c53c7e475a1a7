// Imports a profile into speedscope (the npm package's own build, opened in headless Chromium the way its CLI
// opens it in a browser) and prints what the import said as one JSON object: the page title speedscope sets
// from the profile, its console warnings and errors, and the page's text (the profile names it offers).
//   node speedscope.mjs PROFILE
import { readFileSync, writeFileSync, existsSync, mkdtempSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.HEAPSCOPE_CHROMIUM || '/usr/bin/chromium';
const [profile] = process.argv.slice(2);
if (!profile) {
  console.error('usage: node speedscope.mjs PROFILE');
  process.exit(2);
}
if (!existsSync(CHROMIUM)) {
  console.error(`${CHROMIUM} is missing: run scripts/deps/browser.sh`);
  process.exit(3);
}
const app = join(createRequire(import.meta.url).resolve('speedscope/package.json'), '..', 'dist', 'release', 'index.html');

// what the CLI does: a script that hands the file to the page, named in the URL's hash
const work = mkdtempSync(join(tmpdir(), 'speedscope-'));
const loader = join(work, 'load.js');
writeFileSync(loader, `speedscope.loadFileFromBase64(${JSON.stringify(basename(profile))}, ${JSON.stringify(readFileSync(profile).toString('base64'))})`);

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--no-first-run', '--disable-sync', '--allow-file-access-from-files'],
});
const out = { warnings: [], errors: [] };
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  page.on('console', (m) => {
    // the GPU driver's notes of a headless software WebGL are not the file's
    if (m.type() === 'warning' && !/GL Driver Message/.test(m.text())) out.warnings.push(m.text());
    if (m.type() === 'error') out.errors.push(m.text());
  });
  page.on('pageerror', (e) => out.errors.push('pageerror: ' + e.message));
  await page.goto(pathToFileURL(resolve(app)).href + '#localProfilePath=' + loader, { waitUntil: 'load' });
  // speedscope names the tab after the profile once it has imported it
  await page.waitForFunction(() => / - speedscope$/.test(document.title), null, { timeout: 60000 }).catch(() => {});
  await page.waitForTimeout(200);
  out.title = await page.title();
  out.text = (await page.locator('body').innerText()).slice(0, 2000);
} finally {
  await browser.close();
}
console.log(JSON.stringify(out));
