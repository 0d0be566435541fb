import readline from "node:readline";
import { Writable } from "node:stream";

/** Where a command writes and reads: the process in production, buffers in tests. */
export interface CliIo {
  /** One line of human output (stdout). */
  out(line: string): void;
  /** One line of diagnostics (stderr). */
  err(line: string): void;
  /**
   * Reads one line from stdin (without its line break); undefined when stdin
   * ends before anything was written. On a terminal, prompts and hides the input.
   */
  readLine(prompt: string): Promise<string | undefined>;
}

const MAX_LINE = 8192;

/** The process's stdout, stderr and stdin. */
export function processIo(): CliIo {
  return {
    out: (line) => void process.stdout.write(`${line}\n`),
    err: (line) => void process.stderr.write(`${line}\n`),
    readLine: (prompt) => (process.stdin.isTTY ? readHidden(prompt) : readFirstLine(process.stdin)),
  };
}

/**
 * Reads the first line of a stream and stops reading (the rest stays unread, so
 * `(echo secret; sleep 60) | keyward …` does not wait for the pipe to close).
 */
export function readFirstLine(stream: NodeJS.ReadableStream & { destroy?: () => void }): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    let buffer = "";
    const finish = (error: Error | undefined, line?: string) => {
      stream.off("data", onData);
      stream.off("end", onEnd);
      stream.off("error", onError);
      stream.pause();
      stream.destroy?.();
      if (error) reject(error);
      else resolve(line?.replace(/\r$/, ""));
    };
    const onData = (chunk: Buffer | string) => {
      buffer += chunk.toString();
      const nl = buffer.indexOf("\n");
      if (nl >= 0) finish(undefined, buffer.slice(0, nl));
      else if (buffer.length > MAX_LINE) finish(new Error(`the line on stdin is longer than ${MAX_LINE} characters`));
    };
    const onEnd = () => finish(undefined, buffer === "" ? undefined : buffer);
    const onError = (error: Error) => finish(error);
    stream.on("data", onData);
    stream.on("end", onEnd);
    stream.on("error", onError);
    stream.resume();
  });
}

/** Prompts on stderr and reads a line from the terminal without echoing it. */
function readHidden(prompt: string): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const muted = new Writable({ write: (_chunk, _encoding, done) => done() });
    const rl = readline.createInterface({ input: process.stdin, output: muted, terminal: true });
    process.stderr.write(prompt);
    rl.on("SIGINT", () => {
      rl.close();
      process.stderr.write("\n");
      reject(new Error("cancelled"));
    });
    rl.question("", (answer) => {
      rl.close();
      process.stderr.write("\n");
      process.stdin.pause();
      resolve(answer);
    });
  });
}

/** Formats rows as a left-aligned table with a header; cells never contain line breaks. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const clean = (s: string) => s.replace(/\s+/g, " ");
  const all = [header, ...rows].map((r) => r.map(clean));
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? "").length)));
  return all.map((r) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd(),
  );
}
