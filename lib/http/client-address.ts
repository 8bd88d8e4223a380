import { BlockList, isIP } from "node:net";
import { getEnv, type TrustedProxies } from "../env";

/*
 * The client address that throttles key on. Next.js gives route handlers, server actions and
 * proxy.ts no socket address; Next's server (and the SCIM adapter, ./scim-node.ts, alike) only
 * fills X-Forwarded-For with the peer address when the client sent none, so the header is whatever
 * the client chose unless a proxy we trust wrote its right-hand end. Hence:
 *
 * - No TRUSTED_PROXIES (default): X-Forwarded-For and X-Real-IP are ignored and the address is
 *   unknown (null). Callers then put every direct client in one shared bucket (the SCIM bad-token
 *   throttle: a valid token is answered before the throttle is consulted, so it never slows a
 *   healthy tenant) or skip the per-address limit (password sign-in keeps its per-account limit).
 * - A hop count N: N proxies each append the address they received the request from, so the
 *   client is the N-th entry from the right (the leftmost when the list is shorter).
 * - A list of proxy addresses/CIDR ranges: walk X-Forwarded-For from the right, skipping trusted
 *   proxies; the first other address is the client.
 *
 * Either way the console must only be reachable through those proxies, or a direct client can
 * write the header itself. X-Real-IP is never used: it cannot say which hop wrote it.
 */

const blockLists = new WeakMap<object, BlockList>();

function trustedList(config: Extract<TrustedProxies, { kind: "cidrs" }>): BlockList {
  let list = blockLists.get(config);
  if (!list) {
    list = new BlockList();
    for (const { address, prefix, family } of config.cidrs) list.addSubnet(address, prefix, family);
    blockLists.set(config, list);
  }
  return list;
}

/** One X-Forwarded-For entry as a bare IP address ("[::1]:443" and "203.0.113.7:5000" included), or null. */
export function normalizeAddress(entry: string): string | null {
  let text = entry.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed) text = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(text)) text = text.slice(0, text.lastIndexOf(":"));
  const version = isIP(text);
  if (version === 0) return null;
  if (version === 6) {
    // An IPv4 client seen through a dual-stack socket: one client, one key.
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(text);
    return mapped ? mapped[1]! : text.toLowerCase();
  }
  return text;
}

function isTrusted(list: BlockList, address: string): boolean {
  return list.check(address, isIP(address) === 6 ? "ipv6" : "ipv4");
}

/** The client's address as our trusted proxies report it, or null when it cannot be known. */
export function resolveClientAddress(
  headers: Headers,
  trusted: TrustedProxies = getEnv().trustedProxies,
): string | null {
  if (trusted.kind === "none") return null;
  const chain = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (chain.length === 0) return null;
  if (trusted.kind === "hops") return normalizeAddress(chain[Math.max(0, chain.length - trusted.hops)]!);
  const list = trustedList(trusted);
  for (let i = chain.length - 1; i >= 0; i--) {
    const address = normalizeAddress(chain[i]!);
    if (address === null) return null;
    if (!isTrusted(list, address)) return address;
  }
  return normalizeAddress(chain[0]!);
}
