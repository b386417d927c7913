import { defineConfig, type Plugin } from "vite";

// The GC Design System's stylesheet loads its fonts from Google Fonts and its icons from a CDN.
// The portal fetches nothing from elsewhere at run time (and its Content-Security-Policy would
// refuse it): the fonts come from @gcds-core/fonts, bundled by Vite like any other asset
// (src/gcds-fonts.css), so the remote @import and URLs are taken out of gcds.css here.
function gcdsOffline(): Plugin {
  return {
    name: "gcds-offline",
    enforce: "pre",
    transform(code, id) {
      if (!id.replace(/\?.*$/, "").endsWith("@gcds-core/components/dist/gcds/gcds.css")) return null;
      const local = code
        .replace(/@import url\("https:\/\/fonts\.googleapis\.com[^"]*"\);?/g, "")
        .replace(/url\(https:\/\/cdn\.design-system\.canada\.ca\/@gcds-core\/fonts@[^/]+\/icons\/([^)]+)\)/g, "url(../../../fonts/fonts/icons/$1)");
      if (/https?:\/\//.test(local.replace(/http:\/\/www\.w3\.org\/[^)"']*/g, ""))) {
        throw new Error("gcds.css still loads something from another origin: update the gcds-offline plugin");
      }
      return { code: local, map: null };
    },
  };
}

// The portal is plain TypeScript: Vite only bundles it. The build (dist/) is static files that
// the local gateway serves on the API's origin, and that a bucket behind CloudFront serves when
// deployed (README.md). `npm run dev` proxies the API to a running local stack.
export default defineConfig({
  plugins: [gcdsOffline()],
  build: {
    target: "es2022",
    sourcemap: false,
    // No inline scripts or styles: the pages run under a strict Content-Security-Policy.
    assetsInlineLimit: 0,
  },
  server: {
    proxy: Object.fromEntries(
      [
        "/_local", "/health", "/programs", "/users", "/credential-transfers", "/agency",
        "/registrations", "/activation-code-requests", "/businesses",
      ].map((p) => [p, { target: process.env.API_URL ?? "http://127.0.0.1:8080", changeOrigin: false }]),
    ),
  },
});
