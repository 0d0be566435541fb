// Types for load.mjs.

export interface LoadRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Per-request changes (autocannon): a fresh body. */
  setupRequest?: (req: LoadRequest) => LoadRequest;
  /** Each answer (autocannon): its status and body. */
  onResponse?: (status: number, body: string) => void;
}

export interface LoadOptions {
  url: string;
  path: string;
  connections: number;
  duration?: number;
  amount?: number;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (req: LoadRequest) => LoadRequest;
  /** autocannon's request list instead of the single request; each connection cycles through it. */
  requests?: LoadRequest[];
  timeout?: number;
}

export interface LoadRun {
  rps: number;
  responses: number;
  elapsed: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  latency: { p50: number; p99: number; mean: number; max: number };
}

export declare function load(options: LoadOptions): Promise<LoadRun>;
export declare function check(name: string, run: LoadRun, expect?: (code: number) => boolean): LoadRun;
