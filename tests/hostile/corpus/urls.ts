/**
 * URLs aimed inside the operator's network, in every spelling a URL parser
 * accepts: loopback, private, link-local and the metadata service, as IPv4,
 * IPv6, IPv4-mapped IPv6, NAT64 and 6to4, decimal, octal and hex forms,
 * localhost names, userinfo tricks; and URLs that are not URLs Keyward
 * fetches. Only refusals are expected: nothing here is ever connected to.
 */

export interface UrlCase {
  name: string;
  url: string;
  says: RegExp;
}

const forbidden = (what: string) => new RegExp(`points at .*an? ${what} address|${what}`);

export function urlCases(): UrlCase[] {
  return [
    { name: "the metadata service", url: "http://169.254.169.254/latest/meta-data/", says: forbidden("link-local/metadata") },
    { name: "the metadata service over https", url: "https://169.254.169.254/jwks", says: forbidden("link-local/metadata") },
    { name: "the metadata service as decimal", url: "https://2852039166/jwks", says: /points at 169\.254\.169\.254, a link-local\/metadata address/ },
    { name: "the metadata service as hex", url: "https://0xa9fea9fe/jwks", says: /points at 169\.254\.169\.254/ },
    { name: "the metadata service as octal", url: "https://0251.0376.0251.0376/jwks", says: /points at 169\.254\.169\.254/ },
    { name: "the metadata service, IPv4-mapped IPv6", url: "https://[::ffff:169.254.169.254]/jwks", says: forbidden("link-local/metadata") },
    { name: "the metadata service, NAT64", url: "https://[64:ff9b::a9fe:a9fe]/jwks", says: forbidden("link-local/metadata") },
    { name: "the metadata service, 6to4", url: "https://[2002:a9fe:a9fe::1]/jwks", says: forbidden("link-local/metadata") },
    { name: "the metadata service behind userinfo", url: "https://good.example@169.254.169.254/jwks", says: /must not contain a user name or password/ },
    { name: "a user and password", url: "https://user:secret@idp.example/jwks", says: /must not contain a user name or password/ },
    { name: "loopback", url: "https://127.0.0.1/jwks", says: forbidden("loopback") },
    { name: "loopback, short form", url: "https://127.1/jwks", says: /points at 127\.0\.0\.1, a loopback address/ },
    { name: "loopback as decimal", url: "https://2130706433/jwks", says: /points at 127\.0\.0\.1, a loopback address/ },
    { name: "loopback as hex", url: "https://0x7f000001/jwks", says: /points at 127\.0\.0\.1/ },
    { name: "loopback as octal", url: "https://0177.0.0.1/jwks", says: /points at 127\.0\.0\.1/ },
    { name: "loopback, mixed radix", url: "https://0x7f.0.0.01/jwks", says: /points at 127\.0\.0\.1/ },
    { name: "another loopback address", url: "https://127.255.255.254/jwks", says: forbidden("loopback") },
    { name: "IPv6 loopback", url: "https://[::1]/jwks", says: forbidden("loopback") },
    { name: "IPv6 loopback, long form", url: "https://[0:0:0:0:0:0:0:1]/jwks", says: forbidden("loopback") },
    { name: "loopback, IPv4-mapped IPv6", url: "https://[::ffff:127.0.0.1]/jwks", says: forbidden("loopback") },
    { name: "loopback, IPv4-mapped in hex", url: "https://[::ffff:7f00:1]/jwks", says: forbidden("loopback") },
    { name: "loopback, IPv4-compatible IPv6", url: "https://[::127.0.0.1]/jwks", says: forbidden("loopback") },
    { name: "localhost", url: "https://localhost/jwks", says: /points at localhost, a name that always means this machine/ },
    { name: "localhost with a trailing dot", url: "https://localhost./jwks", says: /points at localhost\., a name that always means this machine/ },
    { name: "LOCALHOST in capitals", url: "https://LOCALHOST/jwks", says: /a name that always means this machine/ },
    { name: "a name under localhost", url: "https://idp.localhost/jwks", says: /points at idp\.localhost, a name that always means this machine/ },
    { name: "the unspecified address", url: "https://0.0.0.0/jwks", says: forbidden("unspecified") },
    { name: "the IPv6 unspecified address", url: "https://[::]/jwks", says: forbidden("unspecified") },
    { name: "a private 10/8 address", url: "https://10.0.0.1/jwks", says: forbidden("private") },
    { name: "a private 172.16/12 address", url: "https://172.16.5.4/jwks", says: forbidden("private") },
    { name: "a private 192.168/16 address", url: "https://192.168.1.1/jwks", says: forbidden("private") },
    { name: "a private address, IPv4-mapped", url: "https://[::ffff:10.1.2.3]/jwks", says: forbidden("private") },
    { name: "carrier-grade NAT", url: "https://100.64.0.1/jwks", says: /carrier-grade NAT/ },
    { name: "IPv6 link-local", url: "https://[fe80::1]/jwks", says: forbidden("link-local") },
    { name: "IPv6 unique local", url: "https://[fd00::1]/jwks", says: /private \(unique local/ },
    { name: "IPv6 site-local", url: "https://[fec0::1]/jwks", says: forbidden("site-local") },
    { name: "broadcast", url: "https://255.255.255.255/jwks", says: forbidden("broadcast") },
    { name: "multicast", url: "https://224.0.0.1/jwks", says: forbidden("multicast") },
    { name: "plain http", url: "http://idp.example/jwks", says: /must use https/ },
    { name: "ftp", url: "ftp://idp.example/jwks", says: /must use https \(ftp: URLs are not fetched\)/ },
    { name: "file", url: "file:///etc/passwd", says: /must use https \(file: URLs are not fetched\)/ },
    { name: "javascript", url: "javascript:alert(1)", says: /must use https \(javascript: URLs are not fetched\)/ },
    { name: "data", url: "data:application/json,{}", says: /must use https \(data: URLs are not fetched\)/ },
    { name: "gopher to the metadata service", url: "gopher://169.254.169.254:80/_GET", says: /must use https \(gopher: URLs are not fetched\)/ },
    { name: "not a URL", url: "idp.example/jwks", says: /is not an absolute URL/ },
    { name: "a relative path", url: "/jwks", says: /is not an absolute URL/ },
    { name: "a URL of 2001 characters", url: `https://idp.example/${"a".repeat(1981)}`, says: /at most 2000|too big|Too big/i },
  ];
}
