import { defineConfig } from "vite";

// The portal is plain TypeScript: Vite only bundles it. The build (dist/) is static files that
// the local gateway serves on the API's origin, and that a bucket behind CloudFront serves when
// deployed (README.md). `npm run dev` proxies the API to a running local stack.
export default defineConfig({
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
