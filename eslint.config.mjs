import next from "eslint-config-next";

const config = [
  {
    ignores: [
      "node_modules/**",
      ".next/**",
      "data/**",
      "lib/generated/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
    ],
  },
  ...next,
  {
    rules: {
      "import/no-anonymous-default-export": "off",
    },
  },
];

export default config;
