/**
 * Console lists on a large database (10,000 clients in a tenant, 100,000
 * audit events) against the same pages on an empty database (a second
 * Keyward, same build): the console pages rendered on the server with a
 * signed-in session (next-auth credentials), and the admin API with the
 * bearer token; first pages and a deep cursor (90 % down). One request at a
 * time for `listSeconds` (at least 3 requests): a run's figure is the median
 * time of its requests; runs interleave the large and the empty database.
 * For the clients pages a third figure (report only) separates the cost of
 * the rows on the page from the cost of the table's size: the same page of
 * a tenant holding exactly one page of clients (200), on the large database.
 */
import { ratios, summarize } from "../lib/stats.mjs";
import { API_TOKEN, adminApi, signIn } from "../lib/keyward.mjs";
import { LISTS_TENANT, PAGE_CLIENTS, PAGE_TENANT } from "../lib/setup.mjs";

/** Sequential GETs for `seconds` (at least `min`): the median wall time of one, in ms. */
async function timed(url, headers, seconds, min = 3) {
  const times = [];
  const started = performance.now();
  while (times.length < min || performance.now() - started < seconds * 1000) {
    const t = performance.now();
    const res = await fetch(url, { headers, redirect: "manual" });
    await res.arrayBuffer();
    times.push(performance.now() - t);
    // A redirect would be a lost session (to /login): not the page measured.
    if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}`);
    if (times.length >= 1000) break;
  }
  times.sort((a, b) => a - b);
  return { ms: times[times.length >> 1], requests: times.length };
}

const cursorOf = (id) => Buffer.from(JSON.stringify({ id }), "utf8").toString("base64url");

/** The deepest cursor an empty database has: its oldest audit event (pages through its few events). */
async function oldestEventCursor(url) {
  const api = adminApi(url);
  let page = await api.get("/api/v1/audit?limit=200");
  let last = page.items.at(-1);
  while (page.nextCursor) {
    page = await api.get(`/api/v1/audit?limit=200&cursor=${page.nextCursor}`);
    last = page.items.at(-1) ?? last;
  }
  return cursorOf(last.id);
}

export async function listsBenchmark(ctx) {
  const { opts, main, empty } = ctx;
  const big = main.server.url;
  const small = empty.server.url;
  const deep = {
    big: { clients: cursorOf(main.lists.deepClientId), audit: cursorOf(main.lists.deepAuditId) },
    // Clients are paged by id < cursor: the large database's cursor finds no rows in the empty one.
    small: { clients: cursorOf(main.lists.deepClientId), audit: await oldestEventCursor(small) },
    page: { clients: cursorOf(main.lists.page.deepClientId) },
  };
  const cookies = { big: await signIn(big), small: await signIn(small) };
  const bearer = { authorization: `Bearer ${API_TOKEN}` };
  const pages = [
    { id: "page-clients", name: `console /tenants/{t}/clients (first page, 200 rows)`, path: (db) => `/tenants/${db === "page" ? PAGE_TENANT : LISTS_TENANT}/clients`, session: true, onePage: true },
    {
      id: "page-clients-deep",
      name: `console /tenants/{t}/clients?cursor= (90 % down)`,
      path: (db) => `/tenants/${db === "page" ? PAGE_TENANT : LISTS_TENANT}/clients?cursor=${deep[db].clients}`,
      session: true,
      onePage: true,
    },
    { id: "page-audit", name: "console /audit (first page)", path: () => "/audit", session: true },
    { id: "page-audit-deep", name: "console /audit?cursor= (90 % down)", path: (db) => `/audit?cursor=${deep[db].audit}`, session: true },
    { id: "api-clients", name: `GET /api/v1/tenants/{t}/clients (first page)`, path: (db) => `/api/v1/tenants/${db === "page" ? PAGE_TENANT : LISTS_TENANT}/clients`, onePage: true },
    {
      id: "api-clients-deep",
      name: `GET /api/v1/tenants/{t}/clients?cursor= (90 % down)`,
      path: (db) => `/api/v1/tenants/${db === "page" ? PAGE_TENANT : LISTS_TENANT}/clients?cursor=${deep[db].clients}`,
      onePage: true,
    },
    { id: "api-audit", name: "GET /api/v1/audit (first page)", path: () => "/api/v1/audit" },
    { id: "api-audit-deep", name: "GET /api/v1/audit?cursor= (90 % down)", path: (db) => `/api/v1/audit?cursor=${deep[db].audit}` },
  ];
  // What each page holds on each database, so the comparison is known to be the one meant.
  // A console page counts its rows in the HTML (an error page streamed with a 200 holds none).
  const rowsOf = async (page, db) => {
    const res = await fetch(`${db === "small" ? small : big}${page.path(db)}`, { headers: page.session ? { cookie: cookies[db === "small" ? "small" : "big"] } : bearer });
    if (!page.session) return (await res.json()).items?.length ?? null;
    return ((await res.text()).match(/data-testid="(?:client|audit)-row"/g) ?? []).length;
  };
  ctx.log(`lists: ${pages.length} pages × ${opts.runs} runs × ${opts.listSeconds} s (≥ 3 requests), large vs empty database, one request at a time`);
  const results = [];
  const seconds = opts.listSeconds;
  for (const page of pages) {
    const target = (db) => [`${db === "small" ? small : big}${page.path(db)}`, page.session ? { cookie: cookies[db === "small" ? "small" : "big"] } : bearer];
    const dbs = page.onePage ? ["big", "small", "page"] : ["big", "small"];
    for (const db of dbs) await timed(...target(db), 0, 2);
    const ms = Object.fromEntries(dbs.map((db) => [db, []]));
    const requests = Object.fromEntries(dbs.map((db) => [db, []]));
    for (let r = 0; r < opts.runs; r++) {
      // Rotate the order: none of them always runs first.
      for (const db of dbs.map((_, i) => dbs[(i + r) % dbs.length])) {
        const res = await timed(...target(db), seconds);
        ms[db].push(res.ms);
        requests[db].push(res.requests);
      }
    }
    const rows = { large: await rowsOf(page, "big"), empty: await rowsOf(page, "small"), ...(page.onePage ? { onePage: await rowsOf(page, "page") } : {}) };
    // The large database's page must show a page of rows: otherwise it measured something else.
    if (!rows.large) throw new Error(`${page.name}: the large database's page shows no rows`);
    ctx.sampleMemory(`lists ${page.id}`);
    ctx.repeats.push({ name: `lists ${page.id}`, run: () => timed(...target("big"), seconds) });
    const ratio = summarize(ratios(ms.big, ms.small));
    results.push({
      id: `lists:${page.id}`,
      group: "lists",
      name: page.name,
      unit: "ms",
      keyward: summarize(ms.big),
      compared: [
        { name: "same page, empty database", value: summarize(ms.small), ratio },
        ...(page.onePage ? [{ name: `same page, tenant with ${PAGE_CLIENTS} clients (diagnostic)`, value: summarize(ms.page), ratio: summarize(ratios(ms.big, ms.page)) }] : []),
      ],
      targets: [{ text: "≤ 2× empty database", pass: ratio.median <= 2 }, ...(page.onePage ? [{ text: "report", pass: null }] : [])],
      details: {
        rows,
        requestsPerRun: requests,
        clients: main.lists.clients,
        auditEvents: main.lists.audit,
      },
    });
  }
  return results;
}
