import type { Server } from "node:http";

export function decodeBody(body: Buffer, encoding: string | undefined): Buffer;

export function startRecordingProxy(options: {
  port: number;
  host?: string;
  target: { host: string; port: number };
  recordFile: string;
  onError?: (message: string) => void;
}): Promise<Server>;
