import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The report page's files, read once at start (a missing file fails the start, not a request):
 * the page and its script and style from public/report/, and Chart.js' UMD build from its npm
 * package, so the page runs offline from the service's own origin (no CDN). Only these names are
 * served: nothing is looked up from a request's path.
 */
export interface ReportAsset {
  body: Buffer;
  type: string;
  etag: string;
}

/** The page: its script and style from 'self' only, no inline code, data from the JSON API of the same origin. */
export const REPORT_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE_FILES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'report.css': 'text/css; charset=utf-8',
  'report.js': 'text/javascript; charset=utf-8',
};

/** The folder holding package.json (from src/report when run from sources, dist/src/report when built). */
function projectRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${__dirname}: cannot find public/report`);
    dir = up;
  }
  return dir;
}

export function loadReportAssets(): Map<string, ReportAsset> {
  const folder = join(projectRoot(), 'public', 'report');
  const files: Array<[string, string, string]> = Object.entries(PAGE_FILES).map(([name, type]) => [name, join(folder, name), type]);
  // chart.js' "require" export is dist/chart.cjs; its self-contained browser build sits beside it.
  files.push(['chart.umd.min.js', join(dirname(require.resolve('chart.js')), 'chart.umd.min.js'), 'text/javascript; charset=utf-8']);
  return new Map(
    files.map(([name, path, type]) => {
      const body = readFileSync(path);
      return [name, { body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` }];
    }),
  );
}
