import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

// A strict Content Security Policy for the built page: everything comes from the tepat server itself (no CDN, no
// web fonts, no tiles). Added at build time only, since Vite's development server injects inline code.
const csp = [
  "default-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "style-src 'self'",
  "script-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

const contentSecurityPolicy = {
  name: 'tepat-csp',
  apply: 'build',
  transformIndexHtml: (html) =>
    html.replace('<meta charset="utf-8" />', `<meta charset="utf-8" />\n    <meta http-equiv="Content-Security-Policy" content="${csp}" />`),
};

export default defineConfig({
  plugins: [preact(), contentSecurityPolicy],
  server: {
    // `npm run dev` answers /api from a running `tepat serve` (TEPAT_API, default http://127.0.0.1:8080).
    proxy: { '/api': { target: process.env.TEPAT_API || 'http://127.0.0.1:8080', changeOrigin: false } },
  },
  build: {
    target: 'es2020',
    reportCompressedSize: true,
  },
});
