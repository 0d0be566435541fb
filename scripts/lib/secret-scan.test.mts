import { generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRecordingProxy } from "./recording-proxy.mjs";
import { collectSecrets, findPrivateKeyMaterial, scanExchanges, scanText, type KnownSecret } from "./secret-scan.mjs";

// Secrets planted in every form the scan must see through, served by a small
// upstream behind the real recording proxy, then found in the recording.

const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 });
const PEM = rsa.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const PRIVATE_JWK = rsa.privateKey.export({ format: "jwk" });
const PUBLIC_JWK = rsa.publicKey.export({ format: "jwk" });
const PASSWORD = `Planted-${randomBytes(6).toString("hex")}-Passphrase`;
const API_TOKEN = `kw_${randomBytes(24).toString("base64url")}`;

type Exchange = Parameters<typeof scanExchanges>[0][number] & { requestBody?: string; requestHeaders?: Record<string, unknown> };

let dir: string;
let upstream: http.Server;
let proxy: http.Server;
let base: string;
const seenHosts: string[] = [];

function answer(res: http.ServerResponse, status: number, type: string, body: Buffer, encoding?: string) {
  res.writeHead(status, { "content-type": type, ...(encoding ? { "content-encoding": encoding } : {}), "set-cookie": ["a=1; Path=/", "b=2; Path=/"] });
  res.end(body);
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "keyward-secret-scan-"));
  upstream = http.createServer((req, res) => {
    seenHosts.push(String(req.headers.host));
    const url = req.url ?? "/";
    if (url === "/gzip-jwk") return answer(res, 200, "application/json", zlib.gzipSync(JSON.stringify({ keys: [PRIVATE_JWK] })), "gzip");
    if (url === "/brotli-page") return answer(res, 200, "text/html; charset=utf-8", zlib.brotliCompressSync(Buffer.from(`<p>welcome back, your password is ${PASSWORD}</p>`)), "br");
    if (url === "/public-jwks") return answer(res, 200, "application/json", zlib.gzipSync(JSON.stringify({ keys: [PUBLIC_JWK, { kty: "oct", k: "short" }] })), "gzip");
    if (url === "/rsc") {
      // A streamed flight answer: the PEM arrives JSON-escaped, cut across chunks.
      res.writeHead(200, { "content-type": "text/x-component" });
      const escaped = JSON.stringify({ pem: PEM });
      const parts = [`0:{"a":"$@1"}\n1:`, escaped.slice(0, 80), escaped.slice(80, 400), `${escaped.slice(400)}\n`];
      let i = 0;
      const next = () => {
        if (i < parts.length) {
          res.write(parts[i++]);
          setTimeout(next, 5);
        } else res.end();
      };
      return next();
    }
    if (url === "/_next/static/chunks/app.js") return answer(res, 200, "application/javascript", zlib.gzipSync("self.app = 1;"), "gzip");
    if (url === "/api/v1/tokens" && req.method === "POST") return answer(res, 201, "application/json", Buffer.from(JSON.stringify({ name: "ci", token: API_TOKEN })));
    if (url === "/api/v1/tokens") return answer(res, 200, "application/json", Buffer.from(JSON.stringify([{ name: "ci", prefix: API_TOKEN.slice(0, 8) }])));
    if (url === "/api/v1/tokens/leaky") return answer(res, 200, "application/json", Buffer.from(JSON.stringify([{ name: "ci", token: API_TOKEN }])));
    if (url === "/api/v1/users" && req.method === "POST") {
      req.resume();
      return req.on("end", () => answer(res, 201, "application/json", Buffer.from(JSON.stringify({ email: "x@y.test" }))));
    }
    return answer(res, 404, "text/plain", Buffer.from("nothing here"));
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  const target = { host: "127.0.0.1", port: (upstream.address() as AddressInfo).port };
  proxy = await startRecordingProxy({ port: 0, target, recordFile: path.join(dir, "traffic.jsonl") });
  base = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => proxy.close(r));
  await new Promise((r) => upstream.close(r));
  rmSync(dir, { recursive: true, force: true });
});

function recorded(): Exchange[] {
  return readFileSync(path.join(dir, "traffic.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Exchange);
}

function get(p: string, init?: RequestInit) {
  return fetch(`${base}${p}`, init);
}

describe("the recording proxy", () => {
  it("passes answers through unchanged (encoding, repeated cookies, Host) and records them decoded", async () => {
    const raw = await new Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      http
        .get(`${base}/brotli-page`, { headers: { host: "public.example:3430" } }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        })
        .on("error", reject);
    });
    expect(raw.headers["content-encoding"]).toBe("br");
    expect(raw.headers["set-cookie"]).toEqual(["a=1; Path=/", "b=2; Path=/"]);
    expect(zlib.brotliDecompressSync(raw.body).toString()).toContain(PASSWORD);
    expect(seenHosts.at(-1)).toBe("public.example:3430");
    await new Promise((r) => setTimeout(r, 20));
    const entry = recorded().find((e) => e.url === "/brotli-page")!;
    expect(entry.body).toContain(PASSWORD);
  });

  it("records an immutable build asset's body once, and later fetches of it without a body or an error", async () => {
    for (let i = 0; i < 2; i++) expect(await (await get("/_next/static/chunks/app.js")).text()).toBe("self.app = 1;");
    await new Promise((r) => setTimeout(r, 20));
    const entries = recorded().filter((e) => e.url === "/_next/static/chunks/app.js") as (Exchange & { sameBodyAsBefore?: boolean; decodeError?: string })[];
    expect(entries.map((e) => [e.body, e.sameBodyAsBefore ?? false, e.decodeError ?? null])).toEqual([
      ["self.app = 1;", false, null],
      ["", true, null],
    ]);
  });
});

describe("the secrets scan", () => {
  it("finds planted secrets in every form, with where they are, and nothing in clean answers", async () => {
    for (const p of ["/gzip-jwk", "/brotli-page", "/public-jwks", "/rsc", "/api/v1/tokens", "/api/v1/tokens/leaky"]) {
      const res = await get(p, p === "/api/v1/tokens" ? { method: "POST", body: "{}", headers: { "content-type": "application/json" } } : undefined);
      await res.text();
    }
    await (await get("/api/v1/tokens")).text();
    await (await get("/api/v1/users", { method: "POST", body: JSON.stringify({ email: "x@y.test", password: PASSWORD }), headers: { "content-type": "application/json" } })).text();
    await new Promise((r) => setTimeout(r, 50));

    const exchanges = recorded();
    const secrets = collectSecrets(exchanges, [], "traffic.jsonl");
    expect(secrets.get(PASSWORD)?.kind).toBe("sent password");
    expect(secrets.get(API_TOKEN)?.kind).toBe("API token");
    const findings = scanExchanges(exchanges, secrets, "traffic.jsonl");
    const at = (url: string) => findings.filter((f) => f.location.includes(` ${url} (`)).map((f) => f.what);

    expect(at("/gzip-jwk").join("\n")).toMatch(/private member "d" of a JWK with "kty":"RSA"/);
    expect(at("/gzip-jwk").join("\n")).toMatch(/private member "qi"/);
    // Fetched by both tests: found in each of the two answers.
    expect(at("/brotli-page")).toEqual([expect.stringMatching(/the sent password from the request of traffic\.jsonl#\d+ POST \/api\/v1\/users/), expect.stringMatching(/the sent password from the request of traffic\.jsonl#\d+ POST \/api\/v1\/users/)]);
    expect(at("/rsc")).toEqual([expect.stringMatching(/a PEM block armored "PRIVATE KEY"/)]);
    // The answer that reveals the token by design is fine; a later one that shows it again is not.
    const reveal = findings.filter((f) => / POST \/api\/v1\/tokens /.test(f.location));
    expect(reveal).toEqual([]);
    expect(at("/api/v1/tokens/leaky")).toEqual([expect.stringMatching(/the API token from the answer of traffic\.jsonl#\d+ POST \/api\/v1\/tokens/)]);
    // Clean answers: a public JWK, a prefix of the token, an "oct" key with a placeholder value.
    expect(at("/public-jwks")).toEqual([]);
    expect(findings.filter((f) => / GET \/api\/v1\/tokens \(/.test(f.location))).toEqual([]);
    expect(findings.every((f) => /^traffic\.jsonl#\d+ (GET|POST) \S+ \(\d{3}\) (body|headers)$/.test(f.location))).toBe(true);
  });

  it("finds a known secret in a log line, an audit cell or a database cell, and key material in each", () => {
    const secrets = collectSecrets([], [{ kind: "admin password", value: PASSWORD, origin: "env.ts" }]);
    const log = [`{"level":30,"msg":"started"}`, `{"level":50,"msg":"sign-in failed","body":{"password":"${PASSWORD}"}}`].join("\n");
    const fromLog = log.split("\n").flatMap((line, i) => scanText(`server.log:${i + 1}`, line, secrets.values()));
    expect(fromLog).toEqual([{ location: "server.log:2", what: expect.stringContaining("the admin password from env.ts") }]);
    expect(scanText("AuditEvent.after#e1", JSON.stringify({ jwk: PRIVATE_JWK }), secrets.values())[0]?.what).toMatch(/private member "d"/);
    expect(scanText("SigningKey.privateKeySealed#k1", PEM, secrets.values())[0]?.what).toMatch(/PEM block/);
    expect(scanText("SigningKey.publicJwk#k1", JSON.stringify(PUBLIC_JWK), secrets.values())).toEqual([]);
  });

  it("sees key material however deeply it is escaped, and ignores armor without a key", () => {
    const twice = JSON.stringify(JSON.stringify({ jwk: PRIVATE_JWK }));
    expect(findPrivateKeyMaterial(twice).map((f) => f.detail)).toContain(`private member "d" of a JWK with "kty":"RSA"`);
    const inScript = `<script>self.__next_f.push([1,${JSON.stringify(`1:${JSON.stringify({ k: PEM })}`)}])</script>`;
    expect(findPrivateKeyMaterial(inScript).map((f) => f.kind)).toEqual(["pem"]);
    const placeholder = `placeholder="-----BEGIN PRIVATE KEY-----&#10;…"`;
    expect(findPrivateKeyMaterial(placeholder)).toEqual([]);
    expect(findPrivateKeyMaterial(JSON.stringify({ kty: "EC", crv: "P-256", x: "abc", y: "def", d: "…" }))).toEqual([]);
  });
});

describe("what a request sent", () => {
  it("picks up passwords from a server action's multipart form, a sign-in form, JSON, and a client's Basic credentials", () => {
    const boundary = "----form";
    const multipart = [`--${boundary}`, `Content-Disposition: form-data; name="1_email"`, "", "a@b.test", `--${boundary}`, `Content-Disposition: form-data; name="1_password"`, "", PASSWORD, `--${boundary}--`, ""].join("\r\n");
    const exchanges = [
      { method: "POST", url: "/admin/users", status: 200, requestHeaders: { "content-type": `multipart/form-data; boundary=${boundary}` }, requestBody: multipart },
      { method: "POST", url: "/api/auth/callback/credentials", status: 200, requestHeaders: { "content-type": "application/x-www-form-urlencoded" }, requestBody: `email=a%40b.test&password=${encodeURIComponent("Sign-in pass 9!")}` },
      { method: "POST", url: "/api/v1/users", status: 201, requestHeaders: { "content-type": "application/json" }, requestBody: JSON.stringify({ user: { newPassword: "Nested-Passphrase-1" } }) },
      { method: "POST", url: "/t/oauth2/token", status: 200, requestHeaders: { authorization: `Basic ${Buffer.from("kwc_1:client-secret-value-123").toString("base64")}` }, requestBody: "grant_type=client_credentials" },
      { method: "POST", url: "/t/keys", status: 201, requestHeaders: { "content-type": "application/json" }, requestBody: JSON.stringify({ source: "pem", privateKeyPem: PEM }) },
    ];
    const secrets = collectSecrets(exchanges);
    const kinds = Object.fromEntries([...secrets.values()].map((s: KnownSecret) => [s.value.slice(0, 20), s.kind]));
    expect(kinds).toMatchObject({
      [PASSWORD.slice(0, 20)]: "sent password",
      "Sign-in pass 9!": "sent password",
      "Nested-Passphrase-1": "sent newPassword",
      "client-secret-value-": "client secret (Basic auth)",
    });
    expect([...secrets.values()].some((s) => s.kind === "uploaded PEM private key")).toBe(true);
    // None of them may come back: an answer that shows the PEM's body is found however it is spelled.
    const leak = [{ method: "GET", url: "/t/keys/1", status: 200, body: JSON.stringify({ pem: PEM.replace(/-----[^-]+-----/g, "") }) }];
    expect(scanExchanges(leak, secrets).map((f) => f.what)).toEqual([expect.stringMatching(/the uploaded PEM private key from the request of traffic#5 POST \/t\/keys/)]);
  });
});
