import { defineConfig } from "vitest/config";

export default defineConfig({
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  test: {
    include: ["js/test/**/*.test.{ts,tsx}"],
    environment: "node",
  },
});
