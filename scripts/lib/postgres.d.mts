// Types for postgres.mjs (plain JS so it runs before `npm install`).

export declare const TEST_DATABASE: "keyward_test";

export interface ThrowawayPostgres {
  /** postgresql://postgres@127.0.0.1:<port>/<dbName> (trust auth); dbName defaults to keyward_test. */
  url(dbName?: string): string;
  port: number;
  /** Temp dir holding data/, the socket and postgres.log (removed by stop). */
  dir: string;
  /** pg_ctl stop -m fast, then remove the dir. Idempotent. */
  stop(): Promise<void>;
  /** pg_ctl stop (fast by default; immediate = as after a crash), keeping the data: connections are refused until resume(). */
  pause(mode?: "fast" | "immediate"): Promise<void>;
  /** pg_ctl start again on the same port with the same data (crash recovery after an immediate stop). */
  resume(): Promise<void>;
  /** Same as stop(), synchronously (for exit handlers). */
  stopSync(): void;
}

/** A free TCP port on 127.0.0.1. */
export declare function getFreePort(): Promise<number>;

/**
 * initdb + pg_ctl start on 127.0.0.1:<free port> in a temp dir (as the postgres
 * user when running as root) and create the `database` (default keyward_test).
 * Also stopped automatically on process exit / SIGINT / SIGTERM / SIGHUP.
 */
export declare function startThrowawayPostgres(options: {
  binDir: string;
  database?: string;
  quiet?: boolean;
}): Promise<ThrowawayPostgres>;
