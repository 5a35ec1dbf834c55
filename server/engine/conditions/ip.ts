import ipaddr from 'ipaddr.js';
import type { Operator } from './operator.ts';

// reference_policies_elements_condition_operators, "IP address condition operators": a policy value is an IPv4
// or IPv6 address or CIDR range (a bare address means that one address); a request value that is not an IP
// address never matches.
type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

function parseRange(pv: string): Range | undefined {
  try {
    if (pv.includes('/')) return ipaddr.parseCIDR(pv.trim());
    const a = ipaddr.parse(pv.trim());
    return [a, a.kind() === 'ipv4' ? 32 : 128];
  } catch {
    return undefined;
  }
}

function parseAddress(rv: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  try {
    const a = ipaddr.parse(rv.trim());
    // An IPv4-mapped IPv6 address (::ffff:10.0.0.1) is matched against IPv4 ranges as its IPv4 form.
    if (a.kind() === 'ipv6' && (a as ipaddr.IPv6).isIPv4MappedAddress())
      return (a as ipaddr.IPv6).toIPv4Address();
    return a;
  } catch {
    return undefined;
  }
}

function inRange(pv: string) {
  const range = parseRange(pv);
  if (!range) return () => false;
  return (rv: string) => {
    const a = parseAddress(rv);
    return a !== undefined && a.kind() === range[0].kind() && a.match(range as never);
  };
}

export const ipOperators: Operator[] = [
  { name: 'IpAddress', negated: false, variables: false, match: inRange },
  { name: 'NotIpAddress', negated: true, variables: false, match: inRange },
];
