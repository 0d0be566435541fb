/**
 * Keyward's operator CLI: `npm run keyward -- <command> [options]`
 * (`npm run keyward -- --help` lists the commands).
 */
import { processIo } from "@/cli/io";
import { main } from "@/cli/main";

// Files the CLI creates (a SQLite database, KEK files) are for the owner only.
process.umask(0o077);
const code = await main(process.argv.slice(2), processIo());
process.exitCode = code;
// Let pending output flush and handles close by themselves; should a stray
// handle (a pool, stdin) keep the process alive, end it anyway.
setTimeout(() => process.exit(code), 3000).unref();
