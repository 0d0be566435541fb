/**
 * The loads of the memory benchmark when no load benchmark runs beside it
 * (`--only=memory`, `--only=memory,start`): the protocol's hot paths under
 * load (the JWKS and the token endpoint, client_credentials, as the certs and
 * client-credentials benchmarks load them) and the console and admin API
 * pages, signed in, one request at a time. RSS is sampled after each load,
 * and each is registered for the memory benchmark's repeat.
 */
import { check, load } from "../lib/load.mjs";
import { API_TOKEN, signIn } from "../lib/keyward.mjs";
import { TENANT } from "../lib/setup.mjs";

const FORM = "application/x-www-form-urlencoded";
const basic = (id, secret) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;

/** Each of `paths` in turn, one request at a time, for `seconds` each (at least 3 requests); every answer must be 200. */
async function pages(base, paths, headers, seconds) {
  let requests = 0;
  for (const path of paths) {
    const started = performance.now();
    for (let n = 0; n < 3 || performance.now() - started < seconds * 1000; n++) {
      const res = await fetch(`${base}${path}`, { headers, redirect: "manual" });
      await res.arrayBuffer();
      // A redirect would be a lost session (to /login): not the page meant.
      if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}`);
      requests++;
    }
  }
  return { requests };
}

export async function memoryLoads(ctx) {
  const { opts, main } = ctx;
  const url = main.server.url;
  const cookie = await signIn(url);
  const base = { url, connections: opts.connections, duration: opts.duration };
  const consolePaths = ["/", `/tenants/${TENANT}`, `/tenants/${TENANT}/keys`, `/tenants/${TENANT}/clients`, `/tenants/${TENANT}/identity-providers`, "/audit"];
  const apiPaths = [`/api/v1/tenants/${TENANT}/clients`, `/api/v1/tenants/${TENANT}/identity-providers`, "/api/v1/audit"];
  const loads = [
    { name: "certs", run: async () => check("certs", await load({ ...base, path: `/${TENANT}/oauth2/v1/certs` })) },
    {
      name: "client-credentials",
      run: async () =>
        check(
          "client-credentials",
          await load({ ...base, path: `/${TENANT}/oauth2/token`, method: "POST", body: "grant_type=client_credentials", headers: { "content-type": FORM, authorization: basic(main.client.id, main.client.secret) } }),
        ),
    },
    { name: "console pages", run: () => pages(url, consolePaths, { cookie }, opts.listSeconds) },
    { name: "admin API lists", run: () => pages(url, apiPaths, { authorization: `Bearer ${API_TOKEN}` }, opts.listSeconds) },
  ];
  ctx.log(`memory: loads of its own (no load benchmark selected): ${loads.map((l) => l.name).join(", ")}`);
  for (const l of loads) {
    await l.run();
    ctx.sampleMemory(l.name);
    ctx.repeats.push(l);
  }
}
