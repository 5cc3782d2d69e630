const KiB = 1024;

/** The largest gzip size each Worker may deploy with (`npm run deploy:check`, `npm run bench`). */
export const API_GZIP_LIMIT = 100 * KiB;
export const SITE_GZIP_LIMIT = 1024 * KiB;
