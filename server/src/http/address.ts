/**
 * Classifying IP addresses for SSRF protection: which addresses a download may connect to.
 * Self-contained byte-level parsing so IPv4-mapped and compressed IPv6 forms can't slip through.
 */
import { isIP } from 'node:net';

function parseIPv4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255)) return null;
  return parts.map(Number);
}

/** 16 bytes of an IPv6 address (zone id dropped), or null. */
function parseIPv6(text: string): number[] | null {
  let address = text.replace(/^\[|\]$/g, '').split('%')[0];
  if (isIP(address) !== 6) return null;
  // Rewrite a dotted IPv4 tail (::ffff:10.0.0.1) as two hex groups so one parser handles every form.
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (dotted) {
    const v4 = parseIPv4(dotted[2]);
    if (!v4) return null;
    address = `${dotted[1]}${((v4[0] << 8) | v4[1]).toString(16)}:${((v4[2] << 8) | v4[3]).toString(16)}`;
  }
  const [left, right] = address.includes('::') ? address.split('::') : [address, undefined];
  const leftGroups = left ? left.split(':') : [];
  const rightGroups = right ? right.split(':') : [];
  const missing = 8 - leftGroups.length - rightGroups.length;
  if (missing < 0 || (right === undefined && missing !== 0)) return null;
  const groups = [...leftGroups, ...Array<string>(missing).fill('0'), ...rightGroups].map((group) => parseInt(group, 16));
  return groups.flatMap((group) => [group >> 8, group & 0xff]);
}

type Verdict = 'public' | 'loopback' | 'blocked';

function classifyIPv4([a, b, c]: number[]): Verdict {
  if (a === 127) return 'loopback';
  if (a === 0 || a === 10 || a >= 224) return 'blocked'; // unspecified, private, multicast, reserved, broadcast
  if (a === 100 && b >= 64 && b <= 127) return 'blocked'; // carrier-grade NAT
  if (a === 169 && b === 254) return 'blocked'; // link-local (cloud metadata lives here)
  if (a === 172 && b >= 16 && b <= 31) return 'blocked';
  if (a === 192 && b === 168) return 'blocked';
  if (a === 192 && b === 0 && c === 0) return 'blocked'; // IETF protocol assignments
  if (a === 198 && (b === 18 || b === 19)) return 'blocked'; // benchmarking
  return 'public';
}

function classifyIPv6(bytes: number[]): Verdict {
  const allZeroUpTo = (end: number) => bytes.slice(0, end).every((byte) => byte === 0);
  if (allZeroUpTo(15) && bytes[15] === 1) return 'loopback';
  if (allZeroUpTo(16)) return 'blocked'; // unspecified
  // IPv4-mapped (::ffff:a.b.c.d) and the deprecated IPv4-compatible form (::a.b.c.d) carry an IPv4 address.
  if (allZeroUpTo(10) && bytes[10] === 0xff && bytes[11] === 0xff) return classifyIPv4(bytes.slice(12));
  if (allZeroUpTo(12)) return classifyIPv4(bytes.slice(12));
  // NAT64 (64:ff9b::/96) reaches whatever IPv4 address it embeds.
  if (bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && bytes.slice(4, 12).every((b) => b === 0)) {
    return classifyIPv4(bytes.slice(12));
  }
  if ((bytes[0] & 0xfe) === 0xfc) return 'blocked'; // unique local fc00::/7
  if (bytes[0] === 0xfe && (bytes[1] & 0xc0) === 0x80) return 'blocked'; // link-local fe80::/10
  if (bytes[0] === 0xfe && (bytes[1] & 0xc0) === 0xc0) return 'blocked'; // site-local fec0::/10 (deprecated)
  if (bytes[0] === 0xff) return 'blocked'; // multicast
  return 'public';
}

/** Whether a download may connect to `address`; loopback only when explicitly allowed (tests, local dev). */
export function isAddressAllowed(address: string, options: { allowLoopback?: boolean } = {}): boolean {
  const v4 = parseIPv4(address);
  const v6 = v4 ? null : parseIPv6(address);
  if (!v4 && !v6) return false; // not an IP at all: refuse rather than guess
  const verdict = v4 ? classifyIPv4(v4) : classifyIPv6(v6 as number[]);
  return verdict === 'public' || (verdict === 'loopback' && options.allowLoopback === true);
}

/** The hostname of a URL as an IP literal (brackets removed), or null when it is a name. */
export function ipLiteral(hostname: string): string | null {
  const bare = hostname.replace(/^\[|\]$/g, '');
  return isIP(bare) ? bare : null;
}
