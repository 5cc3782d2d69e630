import ipaddr from "ipaddr.js";

/**
 * True for a URL host that only this machine can reach: `localhost`,
 * 127.0.0.0/8 and `[::1]` (a URL's `hostname` keeps an IPv6 address's brackets).
 */
export function isLoopbackHost(hostname: string): boolean {
  if (hostname === "localhost") return true;
  const bare = hostname.replace(/^\[(.*)\]$/, "$1");
  if (!ipaddr.isValid(bare)) return false;
  return ipaddr.parse(bare).range() === "loopback";
}
