/** `npm run check:cycles`: no module may import itself back, through any chain of imports. */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "An import cycle: split the module that does two jobs.",
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    // Build output and tool state (dist, .wrangler, .astro, bench/.site-dist) is not ours to check.
    exclude: { path: "(^|/)(node_modules|dist|dist-test|\\.[^/]+)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".js", ".mjs", ".d.ts"] },
  },
};
