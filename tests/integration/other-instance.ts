import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const CHILD = path.join(ROOT, "tests/integration/other-instance-child.ts");

export interface OtherInstance {
  /** Sends one command; resolves once the other process has committed it. */
  run(command: Record<string, unknown>): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

/** A second process on the same database, changing things through the services as another instance would. */
export async function startOtherInstance(): Promise<OtherInstance> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", CHILD], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: "error" },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const answers: ((line: Record<string, unknown>) => void)[] = [];
  let onReady: () => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    onReady = resolve;
    child.once("exit", (code) => reject(new Error(`the other instance exited (${code}) before it was ready`)));
  });
  readline.createInterface({ input: child.stdout! }).on("line", (line) => {
    const msg = JSON.parse(line) as Record<string, unknown>;
    if (msg.ready) onReady();
    else answers.shift()?.(msg);
  });
  await ready;
  return {
    async run(command) {
      const answer = await new Promise<Record<string, unknown>>((resolve) => {
        answers.push(resolve);
        child.stdin!.write(`${JSON.stringify(command)}\n`);
      });
      if (!answer.ok) throw new Error(`the other instance failed: ${String(answer.error)}`);
      return answer;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.stdin!.end();
      }),
  };
}

