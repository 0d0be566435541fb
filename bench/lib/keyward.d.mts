// Types for keyward.mjs (plain JS: the benchmarks run without a compile step).

export declare const API_TOKEN: string;
export declare const METRICS_TOKEN: string;

export interface ProcMemory {
  /** VmRSS, VmHWM, RssAnon, RssFile of the process, in bytes. */
  rss: number;
  hwm: number;
  anon: number;
  file: number;
}

export interface KeywardServer {
  name: string;
  url: string;
  port: number;
  pid: number;
  dataDir: string;
  logPath: string;
  startMs: number;
  mainProfile(): string | null;
  memory(): ProcMemory;
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly exited: { code: number | null; signal: NodeJS.Signals | null } | null;
}

export declare function freePort(): Promise<number>;
export declare function ensureBuilt(root: string, log: (text: string) => void): Promise<void>;
export declare function makeDataDir(tmpRoot: string | undefined, name: string): string;
export declare function startKeyward(options: {
  root: string;
  dataDir: string;
  port?: number;
  name?: string;
  cpuProfDir?: string;
  nodeFlags?: string[];
  extraEnv?: Record<string, string>;
  timeoutMs?: number;
}): Promise<KeywardServer>;
export declare function procMemory(pid: number): ProcMemory;

export interface AdminApi {
  get<T = unknown>(route: string): Promise<T>;
  post<T = unknown>(route: string, body?: unknown): Promise<T>;
  put<T = unknown>(route: string, body: unknown): Promise<T>;
  patch<T = unknown>(route: string, body: unknown): Promise<T>;
}
export declare function adminApi(base: string): AdminApi;
export declare function signIn(base: string, email?: string, password?: string): Promise<string>;
export declare function metric(base: string, name: string): Promise<number | null>;
