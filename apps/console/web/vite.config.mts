import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The console's web app. `npm run build` builds it into dist/apps/console/web, which the
// backend-for-frontend serves; scripts/build.js passes the output directory.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/bff': 'http://127.0.0.1:3000' } },
});
