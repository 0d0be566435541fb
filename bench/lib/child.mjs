/**
 * The comparison servers and loops run in their own Node processes, like
 * Keyward, so each gets a core of its own and nothing of the harness's.
 * They talk to the harness with IPC messages ({ type, ... }).
 */
import { fork } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));

export function startChild(script, { logDir, name = path.basename(script, ".mjs"), env = {} } = {}) {
  const logPath = logDir ? path.join(logDir, `${name}.log`) : null;
  const out = logPath ? fs.openSync(logPath, "a") : "ignore";
  const child = fork(path.join(here, "..", script), [], { stdio: ["ignore", out, out, "ipc"], env: { ...process.env, ...env } });
  if (typeof out === "number") fs.closeSync(out);
  const waiting = [];
  const inbox = [];
  let exit = null;
  child.on("message", (msg) => {
    const i = waiting.findIndex((w) => w.type === msg.type || msg.type === "error");
    if (i >= 0) waiting.splice(i, 1)[0].resolve(msg);
    else inbox.push(msg);
  });
  child.on("exit", (code, signal) => {
    exit = { code, signal };
    for (const w of waiting.splice(0)) w.reject(new Error(`${name} exited (${signal ?? code}) while the harness waited for "${w.type}"${logPath ? `; log: ${logPath}` : ""}`));
  });
  const api = {
    child,
    send: (msg) => child.send(msg),
    /** The next message of this type (an "error" message rejects). */
    next(type, timeoutMs = 600_000) {
      const i = inbox.findIndex((m) => m.type === type || m.type === "error");
      const settle = (msg) => {
        if (msg.type === "error") throw new Error(`${name}: ${msg.message}`);
        return msg;
      };
      if (i >= 0) return Promise.resolve(inbox.splice(i, 1)[0]).then(settle);
      if (exit) return Promise.reject(new Error(`${name} has exited (${exit.signal ?? exit.code})`));
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${name}: no "${type}" within ${timeoutMs / 1000} s`)), timeoutMs);
        waiting.push({ type, resolve: (m) => (clearTimeout(timer), resolve(m)), reject: (e) => (clearTimeout(timer), reject(e)) });
      }).then(settle);
    },
    /** Sends a request and waits for its answer type. */
    async ask(msg, answerType, timeoutMs) {
      const answer = api.next(answerType, timeoutMs);
      child.send(msg);
      return answer;
    },
    async stop() {
      if (exit) return;
      const done = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await done;
      clearTimeout(timer);
    },
  };
  return api;
}

/** In a child: report an uncaught failure to the harness, then exit. */
export function childMain(fn) {
  process.on("message", (msg) => {
    Promise.resolve(fn(msg)).catch((error) => {
      process.send({ type: "error", message: error?.stack ?? String(error) });
      setTimeout(() => process.exit(1), 100);
    });
  });
  process.on("disconnect", () => process.exit(0));
}
