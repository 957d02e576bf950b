/** The console as it is built: one script and one style sheet from our own origin, the script under its size limit. */
import { gzipSync } from 'node:zlib';
import { buildConsole, FIRST_LOAD_JS_GZIP_LIMIT } from '../../../console/build';

describe('the console build', () => {
  let files: Awaited<ReturnType<typeof buildConsole>>;
  beforeAll(async () => {
    files = await buildConsole();
  }, 60_000);

  it('is index.html, app.js and app.css, and index.html loads only those, from the console itself', () => {
    expect(files.map((f) => f.name).sort()).toEqual(['app.css', 'app.js', 'index.html']);
    const html = files.find((f) => f.name === 'index.html')!.body.toString();
    const loaded = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]).sort();
    expect(loaded).toEqual(['/console/app.css', '/console/app.js']);
    // Nothing inline (the content security policy forbids it) and nothing from elsewhere at run time.
    expect(html).not.toMatch(/<script>|<style>|https?:\/\//);
  });

  it(`keeps the first load under ${FIRST_LOAD_JS_GZIP_LIMIT} bytes of JavaScript gzipped`, () => {
    const js = files.filter((f) => f.name.endsWith('.js'));
    const gzipped = js.reduce((sum, f) => sum + gzipSync(f.body, { level: 9 }).length, 0);
    expect(gzipped).toBeGreaterThan(1_000);
    expect(gzipped).toBeLessThan(FIRST_LOAD_JS_GZIP_LIMIT);
  });

  it('fetches nothing from another origin at run time: the script names no URL it loads from', () => {
    const js = files.find((f) => f.name === 'app.js')!.body.toString();
    expect(js).not.toMatch(/import\(\s*["']https?:|importScripts\(/);
  });
});
