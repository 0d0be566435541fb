// `npm run bench`: Keyward's performance benchmarks against oidc-provider,
// jose and bare node:http, on loopback. The code is under bench/; what it
// measures and how to read the table: the README (Performance).
//
//   node scripts/bench.mjs [--runs=3] [--duration=4] [--storm-seconds=20] [--only=certs,storm] [--cpu-prof] [--help]
import { main } from "../bench/main.mjs";

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
