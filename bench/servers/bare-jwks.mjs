/**
 * The ceiling of the certs benchmark: a bare node:http server answering the
 * bytes Keyward answers (status line, headers, body), and 304 with Keyward's
 * 304 headers when If-None-Match names the ETag. Nothing else runs per request.
 */
import http from "node:http";
import { childMain } from "../lib/child.mjs";

childMain(async (msg) => {
  if (msg.type !== "start") return;
  const body = Buffer.from(msg.body, "base64");
  const full = msg.headers;
  const notModified = msg.notModifiedHeaders;
  const etag = msg.etag;
  const server = http.createServer((req, res) => {
    if (req.headers["if-none-match"] === etag) {
      res.writeHead(304, notModified);
      res.end();
      return;
    }
    res.writeHead(200, full);
    res.end(body);
  });
  server.keepAliveTimeout = 65_000;
  server.listen(0, "127.0.0.1", () => process.send({ type: "listening", port: server.address().port }));
});
