import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outboundConnector } from "./outbound-connector";
import { OutboundRefused } from "./outbound-policy";

let server: http.Server;
let port: number;

beforeAll(async () => {
  server = http.createServer((_req, res) => res.end("ok"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function connect(allow: string[], hostname: string): Promise<Socket> {
  const connector = outboundConnector({ allow, connectTimeoutMs: 500 });
  return new Promise((resolve, reject) => {
    connector({ hostname, protocol: "http:", port: String(port) }, (error, socket) => (error ? reject(error) : resolve(socket as Socket)));
  });
}

describe("outboundConnector", () => {
  // A literal address never goes through lookup: the peer check is what stops it here.
  it("refuses a socket whose peer is a forbidden address", async () => {
    const error = await connect([], "127.0.0.1").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutboundRefused);
    expect((error as OutboundRefused).message).toBe(
      "jwks_uri host 127.0.0.1 connected to 127.0.0.1, a loopback address; add it to KEYWARD_OUTBOUND_ALLOW to allow it",
    );
  });

  it("refuses a name resolving to a forbidden address before connecting", async () => {
    const error = await connect([], "localhost").catch((e: unknown) => e);
    expect((error as OutboundRefused).code).toBe("forbidden_address");
    expect((error as Error).message).toMatch(/^jwks_uri host localhost resolves to /);
  });

  it("hands over the socket when the peer is allowed", async () => {
    const socket = await connect(["127.0.0.1"], "localhost");
    expect(socket.remoteAddress).toBe("127.0.0.1");
    socket.destroy();
  });
});
