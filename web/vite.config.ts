/**
 * The standalone app (src/app) built into the Python package (service/api/ui/app/, git-ignored),
 * which the service serves at /ui and a wheel ships. The library (src/index.ts) is consumed as
 * source by a host's bundler, which is why src/ uses relative imports only (no aliases).
 */
import { fileURLToPath } from "node:url";

import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here("./src/app"),
  base: "./",
  plugins: [react(), tailwindcss()],
  build: { outDir: here("../service/api/ui/app"), emptyOutDir: true },
});
