const KiB = 1024;

/** The largest gzip size each Worker may deploy with (`npm run deploy:check`, `npm run bench`). */
export const API_GZIP_LIMIT = 100 * KiB;
export const SITE_GZIP_LIMIT = 1024 * KiB;
/** The most JavaScript `/todos` may load, gzip: every script the site serves counts. */
export const BROWSER_JS_GZIP_LIMIT = 10 * KiB;
