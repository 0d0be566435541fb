/**
 * Where Keyward may send an outbound request (a jwks_uri, a directory, a
 * client's jwks_uri): https only, no credentials in the URL, and never an
 * address inside the operator's network (loopback, private, link-local and
 * the cloud metadata service, …) unless `KEYWARD_OUTBOUND_ALLOW` lists it.
 *
 * Three checks share the rules below, because a URL that looks public can
 * still reach a private address:
 * - {@link checkOutboundUrl} on the URL as typed (and on every redirect hop),
 * - {@link outboundLookup} on the addresses a host name resolves to, used by
 *   the socket itself, so the address checked is the address connected to
 *   (no window for DNS rebinding between a check and the connect),
 * - the connector in `outbound-connector.ts` on the socket's peer address.
 *
 * The allow-list is passed in (parsed from the environment by `lib/env.ts`);
 * this module never reads the environment.
 */
import dns from "node:dns";
import net from "node:net";
import ipaddr from "ipaddr.js";

/** Stable reason an outbound URL or address was refused. */
export type OutboundRefusalCode =
  | "invalid_url"
  | "unsupported_scheme"
  | "credentials_in_url"
  | "https_required"
  | "https_downgrade"
  | "forbidden_address";

/**
 * Refusal of an outbound URL or address, with a stable `code` and a message
 * an admin can act on (it names the address and the setting that allows it).
 *
 * @example
 * try {
 *   checkOutboundUrl("http://10.0.0.5/jwks", { allow: [] });
 * } catch (err) {
 *   if (err instanceof OutboundRefused) console.log(err.code, err.message);
 *   // forbidden_address  jwks_uri points at 10.0.0.5, a private address; add it to KEYWARD_OUTBOUND_ALLOW to allow it
 * }
 */
export class OutboundRefused extends Error {
  override readonly name = "OutboundRefused";

  constructor(
    readonly code: OutboundRefusalCode,
    message: string,
    /** The refused address, for `forbidden_address`. */
    readonly address?: string,
  ) {
    super(message);
  }
}

/** The allow-list and how messages name the URL ("jwks_uri" unless told). */
export interface OutboundPolicyOptions {
  /** Entries of `KEYWARD_OUTBOUND_ALLOW`: host names, IP addresses or CIDRs. */
  allow: readonly string[];
  /** How messages name the URL: "jwks_uri", "directory URL", "redirect target" … */
  label?: string;
}

interface ParsedAllowList {
  hosts: Set<string>;
  ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][];
}

// Parsed allow-lists by identity: the same array (env().outboundAllow) is
// passed on every call, so it is parsed once.
const parsedLists = new WeakMap<readonly string[], ParsedAllowList>();

function parseAllowList(allow: readonly string[]): ParsedAllowList {
  const cached = parsedLists.get(allow);
  if (cached) return cached;
  const parsed: ParsedAllowList = { hosts: new Set(), ranges: [] };
  for (const raw of allow) {
    const entry = unbracket(raw.trim().toLowerCase()).replace(/\.$/, "");
    if (entry === "") continue;
    if (entry.includes("/")) {
      // A CIDR that does not parse allows nothing, rather than failing every fetch.
      if (ipaddr.isValidCIDR(entry)) parsed.ranges.push(normalizeRange(ipaddr.parseCIDR(entry)));
    } else if (net.isIP(entry)) {
      const address = ipaddr.process(entry);
      parsed.ranges.push([address, address.kind() === "ipv4" ? 32 : 128]);
    } else {
      parsed.hosts.add(entry);
    }
  }
  parsedLists.set(allow, parsed);
  return parsed;
}

// "::ffff:10.0.0.0/104" is how an IPv4 range is sometimes written in IPv6 form.
function normalizeRange([address, bits]: [ipaddr.IPv4 | ipaddr.IPv6, number]): [ipaddr.IPv4 | ipaddr.IPv6, number] {
  if (address.kind() === "ipv6" && (address as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
    return [(address as ipaddr.IPv6).toIPv4Address(), bits - 96];
  }
  return [address, bits];
}

function unbracket(host: string): string {
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}

/**
 * Whether a host name is listed by name in the allow-list (case-insensitive,
 * trailing dot ignored). Such a host may use plain http and may resolve to
 * any address.
 *
 * @example
 * isAllowedHostName("IdP.Internal", ["idp.internal"]); // true
 */
export function isAllowedHostName(host: string, allow: readonly string[]): boolean {
  return parseAllowList(allow).hosts.has(unbracket(host.toLowerCase()).replace(/\.$/, ""));
}

function isAllowedAddress(address: ipaddr.IPv4 | ipaddr.IPv6, allow: readonly string[]): boolean {
  return parseAllowList(allow).ranges.some(([range, bits]) => range.kind() === address.kind() && address.match(range, bits));
}

const IPV4_KINDS: Partial<Record<string, string>> = {
  unspecified: "unspecified",
  broadcast: "broadcast",
  multicast: "multicast",
  linkLocal: "link-local/metadata",
  loopback: "loopback",
  carrierGradeNat: "carrier-grade NAT (100.64.0.0/10)",
  private: "private",
  reserved: "reserved",
};

const IPV6_KINDS: Partial<Record<string, string>> = {
  unspecified: "unspecified",
  linkLocal: "link-local",
  multicast: "multicast",
  loopback: "loopback",
  uniqueLocal: "private (unique local, fc00::/7)",
  reserved: "reserved",
};

// fec0::/10, deprecated but still routed inside some networks.
const SITE_LOCAL = ipaddr.parseCIDR("fec0::/10");

/**
 * What kind of forbidden address `ip` is ("loopback", "private",
 * "link-local/metadata", …), or null for a public address. IPv6 forms that
 * carry an IPv4 address (mapped, NAT64, 6to4) are judged by that IPv4
 * address, since that is where the packets end up.
 */
function forbiddenKind(address: ipaddr.IPv4 | ipaddr.IPv6): string | null {
  if (address.kind() === "ipv4") return IPV4_KINDS[(address as ipaddr.IPv4).range()] ?? null;
  const v6 = address as ipaddr.IPv6;
  const range = v6.range();
  const embedded = embeddedIPv4(v6, range);
  if (embedded) return forbiddenKind(embedded);
  if (v6.match(SITE_LOCAL)) return "site-local";
  return IPV6_KINDS[range] ?? null;
}

function embeddedIPv4(v6: ipaddr.IPv6, range: string): ipaddr.IPv4 | null {
  const bytes = v6.toByteArray();
  if (range === "ipv4Mapped" || range === "rfc6145" || range === "rfc6052") return new ipaddr.IPv4(bytes.slice(12, 16));
  if (range === "6to4") return new ipaddr.IPv4(bytes.slice(2, 6));
  // ::a.b.c.d (IPv4-compatible, deprecated) — the unspecified and loopback forms excluded.
  if (bytes.slice(0, 12).every((b) => b === 0) && v6.parts[6] !== 0) return new ipaddr.IPv4(bytes.slice(12, 16));
  return null;
}

/**
 * Why `ip` may not be reached (e.g. "loopback", "link-local/metadata"), or
 * null when it may: a public address, or one covered by an address or CIDR
 * in `allow`.
 *
 * @example
 * forbiddenAddressReason("169.254.169.254", []); // "link-local/metadata"
 * forbiddenAddressReason("169.254.169.254", ["169.254.0.0/16"]); // null
 */
export function forbiddenAddressReason(ip: string, allow: readonly string[]): string | null {
  const text = unbracket(ip).replace(/%.*$/, "");
  if (!ipaddr.isValid(text)) return "not an IP address";
  const address = ipaddr.process(text);
  const kind = forbiddenKind(address);
  if (kind === null) return null;
  return isAllowedAddress(address, allow) ? null : kind;
}

/**
 * Whether Keyward must not connect to `ip`: loopback, private (RFC 1918,
 * RFC 4193), link-local (incl. 169.254.169.254 and fe80::/10), unspecified,
 * multicast, broadcast, CGNAT 100.64.0.0/10, reserved, and the IPv6 forms
 * of those — unless an address or CIDR in `allow` covers it.
 *
 * @example
 * isForbiddenAddress("127.0.0.1", []); // true
 * isForbiddenAddress("::ffff:10.1.2.3", []); // true
 * isForbiddenAddress("127.0.0.1", ["127.0.0.0/8"]); // false
 * isForbiddenAddress("93.184.215.14", []); // false
 */
export function isForbiddenAddress(ip: string, allow: readonly string[]): boolean {
  return forbiddenAddressReason(ip, allow) !== null;
}

function allowHint(): string {
  return "add it to KEYWARD_OUTBOUND_ALLOW to allow it";
}

/**
 * Checks an outbound URL as typed: http(s) only, https unless the host is
 * allowed, no user name or password, and a host that is a literal address
 * must not be a forbidden one. Host names are checked again when they are
 * resolved ({@link outboundLookup}).
 *
 * @returns the parsed URL (without a fragment).
 * @throws OutboundRefused with a message that says why.
 * @example
 * checkOutboundUrl("https://idp.example/jwks", { allow: [] }).href; // "https://idp.example/jwks"
 * checkOutboundUrl("http://idp.example/jwks", { allow: [] });
 * // throws: jwks_uri must use https (plain http only for hosts in KEYWARD_OUTBOUND_ALLOW)
 * checkOutboundUrl("http://127.0.0.1:8080/jwks", { allow: ["127.0.0.1"] }).port; // "8080"
 */
export function checkOutboundUrl(url: string | URL, options: OutboundPolicyOptions): URL {
  const label = options.label ?? "jwks_uri";
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new OutboundRefused("invalid_url", `${label} is not an absolute URL`);
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new OutboundRefused("unsupported_scheme", `${label} must use https (${parsed.protocol} URLs are not fetched)`);
  }
  if (parsed.username !== "" || parsed.password !== "") {
    throw new OutboundRefused("credentials_in_url", `${label} must not contain a user name or password`);
  }
  // The WHATWG parser has already turned 2130706433, 0x7f.1 and friends into dotted quads.
  const host = unbracket(parsed.hostname);
  const isLiteral = net.isIP(host) !== 0;
  if (isLiteral) {
    const reason = forbiddenAddressReason(host, options.allow);
    if (reason !== null) {
      throw new OutboundRefused("forbidden_address", `${label} points at ${host}, ${article(reason)} ${reason} address; ${allowHint()}`, host);
    }
  }
  // RFC 6761 §6.3: "localhost" and every name under it mean this machine,
  // whatever a resolver would say; refused by name, before any lookup.
  const name = host.toLowerCase().replace(/\.$/, "");
  if (!isLiteral && (name === "localhost" || name.endsWith(".localhost")) && !isAllowedHostName(host, options.allow)) {
    throw new OutboundRefused("forbidden_address", `${label} points at ${host}, a name that always means this machine (loopback); ${allowHint()}`, host);
  }
  if (parsed.protocol === "http:") {
    const allowed = isLiteral ? isAllowedAddress(ipaddr.process(host), options.allow) : isAllowedHostName(host, options.allow);
    if (!allowed) {
      throw new OutboundRefused("https_required", `${label} must use https (plain http only for hosts in KEYWARD_OUTBOUND_ALLOW)`);
    }
  }
  parsed.hash = "";
  return parsed;
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? "an" : "a";
}

/**
 * A `lookup` for sockets (node's `net.connect`, undici's `connect` option)
 * that resolves with `dns.lookup(all)` and hands the socket only addresses
 * it may reach, failing with {@link OutboundRefused} when none is left.
 * Because the socket connects to exactly what this returns, there is no gap
 * between the check and the connection for DNS rebinding to use. A host
 * listed by name in `allow` is resolved without checks.
 *
 * @example
 * const agent = new Agent({ connect: { lookup: outboundLookup({ allow: env().outboundAllow }) } });
 */
export function outboundLookup(options: OutboundPolicyOptions): net.LookupFunction {
  const label = options.label ?? "jwks_uri";
  return (hostname, lookupOptions, callback) => {
    if (isAllowedHostName(hostname, options.allow)) {
      dns.lookup(hostname, lookupOptions, callback);
      return;
    }
    dns.lookup(hostname, { ...lookupOptions, all: true }, (error, addresses) => {
      if (error) {
        callback(error, "");
        return;
      }
      const refused: string[] = [];
      // Keep the permitted ones: a name with one public and one private address
      // is still reachable, but only on the public one.
      const permitted = addresses.filter((a) => {
        const reason = forbiddenAddressReason(a.address, options.allow);
        if (reason !== null) refused.push(`${a.address}, ${article(reason)} ${reason} address`);
        return reason === null;
      });
      const first = permitted[0];
      if (!first) {
        const what = refused.length > 0 ? refused.join(" and ") : "no address";
        const address = addresses[0]?.address;
        callback(new OutboundRefused("forbidden_address", `${label} host ${hostname} resolves to ${what}; ${allowHint()}`, address), "");
        return;
      }
      if (lookupOptions.all) callback(null, permitted);
      else callback(null, first.address, first.family);
    });
  };
}

/**
 * Checks the address a socket actually connected to (the last line of
 * defence, after {@link checkOutboundUrl} and {@link outboundLookup}).
 *
 * @throws OutboundRefused `forbidden_address` when the peer may not be reached.
 * @example
 * checkConnectedAddress("idp.example", socket.remoteAddress ?? "", { allow });
 */
export function checkConnectedAddress(hostname: string, remoteAddress: string, options: OutboundPolicyOptions): void {
  if (isAllowedHostName(hostname, options.allow)) return;
  const reason = forbiddenAddressReason(remoteAddress, options.allow);
  if (reason !== null) {
    const label = options.label ?? "jwks_uri";
    throw new OutboundRefused(
      "forbidden_address",
      `${label} host ${unbracket(hostname)} connected to ${remoteAddress}, ${article(reason)} ${reason} address; ${allowHint()}`,
      remoteAddress,
    );
  }
}
