import cloudflare from "@astrojs/cloudflare";
import { defineConfig } from "astro/config";

export default defineConfig({
  output: "server",
  adapter: cloudflare({
    // `npm run dev` may keep local D1 data elsewhere (SITE_PERSIST_DIR); by
    // default it is site/.wrangler/state, where `wrangler d1 migrations apply
    // --config site/wrangler.jsonc --local` writes too.
    persistState: process.env.SITE_PERSIST_DIR ? { path: process.env.SITE_PERSIST_DIR } : true,
    // No images to transform: no Cloudflare Images binding.
    imageService: "passthrough",
  }),
  // The site keeps no Astro session: Better Auth owns the session, in D1.
  session: false,
  server: { host: "127.0.0.1", port: 4321 },
  security: {
    // Our middleware checks Origin on every state-changing request, before any
    // other work, and answers with the security headers (docs/decisions/014-site-origin-check.md).
    checkOrigin: false,
  },
  // Stylesheets always as files: the CSP allows no inline style or script.
  build: { inlineStylesheets: "never" },
  devToolbar: { enabled: false },
  vite: {
    // The dev server answers like the deployed site (no CORS headers), and
    // stops rather than move to another port when 4321 is taken.
    server: { cors: false, strictPort: true },
    // Never inline a small script or asset into the page: the CSP allows none.
    build: { assetsInlineLimit: 0 },
    // Pre-bundle the server's dependencies up front, so the first requests to a
    // fresh `astro dev` never race a dependency re-optimisation.
    optimizeDeps: {
      include: [
        "better-auth",
        "better-auth/api",
        "better-auth > @better-auth/kysely-adapter",
        "better-auth > kysely",
        "hono/client",
        "hono/jwt",
        "zod",
      ],
    },
  },
});
