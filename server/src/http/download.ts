/**
 * Safe downloads of provider result URLs and media files against SSRF:
 * https only, host allowlist, every resolved address checked (private, link-local, loopback, unique-local and
 * unspecified refused), redirects followed by hand and re-checked, size and time caps.
 *
 * The connection goes to the address we checked: our DNS lookup runs inside the connector, so a name can't
 * resolve to a public address for the check and a private one for the connect (DNS rebinding).
 */
import { lookup as dnsLookup } from 'node:dns';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { Agent, type Dispatcher, request } from 'undici';
import { AbortedError, InvalidRequestError, ProviderError, RateLimitedError, ServerError, TimeoutError } from '../providers/errors';
import { isAddressAllowed, ipLiteral } from './address';
import { errorForFailure } from './errors';

const MAX_REDIRECTS = 3;
const LABEL = 'The image host';

/** Resolves a host name to all its addresses; injectable so tests can simulate DNS answers. */
export type HostResolver = (hostname: string) => Promise<LookupAddress[]>;

export interface DownloadOptions {
  maxBytes: number;
  timeoutMs: number;
  /** Exact host names or `*.suffix` patterns (subdomains of suffix). */
  allowHosts: string[];
  /** Also allow loopback addresses (tests, local development). Private ranges stay refused. */
  allowLoopback?: boolean;
  /** Allow plain http (tests only). */
  allowHttp?: boolean;
  /**
   * Transport override (proxies, tests). Addresses are then checked by resolving before the request, which
   * cannot rule out DNS rebinding; leave it unset in production.
   */
  dispatcher?: Dispatcher;
  resolveHost?: HostResolver;
  signal?: AbortSignal;
}

const defaultResolver: HostResolver = (hostname) =>
  new Promise((resolve, reject) => dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))));

function blocked(message: string, providerCode: string): InvalidRequestError {
  return new InvalidRequestError(message, { providerCode });
}

/** Exact match or `*.example.com` for any subdomain of example.com. */
export function isHostAllowed(hostname: string, allowHosts: ReadonlyArray<string>): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '').replace(/^\[|\]$/g, '');
  return allowHosts.some((pattern) => {
    const entry = pattern.toLowerCase().replace(/\.$/, '').replace(/^\[|\]$/g, '');
    return entry.startsWith('*.') ? host.endsWith(entry.slice(1)) && host.length > entry.length - 1 : host === entry;
  });
}

function checkUrl(url: URL, options: DownloadOptions): void {
  const allowedProtocols = options.allowHttp ? ['https:', 'http:'] : ['https:'];
  if (!allowedProtocols.includes(url.protocol)) throw blocked('Only https image addresses can be downloaded.', 'download_insecure_url');
  if (url.username || url.password) throw blocked('Image addresses with credentials are not allowed.', 'download_blocked_host');
  // Private addresses are refused even when an allowlist entry names them.
  const literal = ipLiteral(url.hostname);
  if (literal && !isAddressAllowed(literal, options)) {
    throw blocked(`Downloading images from the private address ${literal} is not allowed.`, 'download_blocked_address');
  }
  if (!isHostAllowed(url.hostname, options.allowHosts)) {
    throw blocked(`Downloading images from ${url.hostname} is not allowed (host not in the allowlist).`, 'download_blocked_host');
  }
}

async function checkResolved(hostname: string, options: DownloadOptions, resolver: HostResolver): Promise<LookupAddress[]> {
  const addresses = await resolver(hostname);
  const refused = addresses.find((entry) => !isAddressAllowed(entry.address, options));
  if (addresses.length === 0 || refused) {
    throw blocked(`Downloading images from ${hostname} is not allowed: it resolves to a private address.`, 'download_blocked_address');
  }
  return addresses;
}

/** Agent whose connector resolves through `checkResolved`, so the checked address is the one connected to. */
function guardedAgent(options: DownloadOptions, resolver: HostResolver): Agent {
  const lookup = (hostname: string, lookupOptions: LookupOptions, callback: (...args: unknown[]) => void) => {
    checkResolved(hostname, options, resolver).then(
      (addresses) => {
        if (lookupOptions.all) callback(null, addresses);
        else callback(null, addresses[0].address, addresses[0].family);
      },
      (error) => callback(error)
    );
  };
  return new Agent({ connect: { lookup } as never, headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs, connections: 2 });
}

export async function downloadToBuffer(url: string, options: DownloadOptions): Promise<Buffer> {
  const resolver = options.resolveHost ?? defaultResolver;
  const ownAgent = options.dispatcher ? undefined : guardedAgent(options, resolver);
  const dispatcher = options.dispatcher ?? (ownAgent as Agent);
  const controller = new AbortController();
  let reason: 'aborted' | 'timeout' | undefined;
  const onAbort = () => {
    reason ??= 'aborted';
    controller.abort();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => {
    reason ??= 'timeout';
    controller.abort();
  }, options.timeoutMs);
  let receivedHeaders = false;

  try {
    if (options.signal?.aborted) throw new AbortedError('The download was canceled.');
    let current: URL;
    try {
      current = new URL(url);
    } catch {
      throw blocked('The image address is not a valid URL.', 'download_invalid_url');
    }
    for (let redirects = 0; ; redirects += 1) {
      checkUrl(current, options);
      if (options.dispatcher && !ipLiteral(current.hostname)) await checkResolved(current.hostname, options, resolver);
      receivedHeaders = false;
      const response = await request(current, { method: 'GET', headers: { accept: 'image/*' }, dispatcher, signal: controller.signal });
      receivedHeaders = true;
      const location = response.headers.location;
      if (response.statusCode >= 300 && response.statusCode < 400 && location) {
        await response.body.dump();
        if (redirects >= MAX_REDIRECTS) throw blocked(`The image address redirected more than ${MAX_REDIRECTS} times.`, 'download_too_many_redirects');
        current = new URL(Array.isArray(location) ? location[0] : location, current);
        continue;
      }
      if (response.statusCode >= 300) {
        await response.body.dump();
        throw downloadStatusError(response.statusCode);
      }
      const declared = Number(response.headers['content-length']);
      if (Number.isFinite(declared) && declared > options.maxBytes) {
        response.body.on('error', () => undefined); // destroying emits an abort error nobody needs
        response.body.destroy();
        throw blocked(`The image is larger than the ${options.maxBytes} bytes allowed.`, 'download_too_large');
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of response.body) {
        size += (chunk as Buffer).length;
        if (size > options.maxBytes) {
          // Leaving the loop by throwing closes the stream (and the connection) for us.
          throw blocked(`The image is larger than the ${options.maxBytes} bytes allowed.`, 'download_too_large');
        }
        chunks.push(chunk as Buffer);
      }
      return Buffer.concat(chunks);
    }
  } catch (error) {
    if (reason === 'timeout') {
      throw new TimeoutError(`The image download took longer than ${Math.round(options.timeoutMs / 1000)} s.`, { providerCode: 'download_timeout' });
    }
    if (error instanceof ProviderError) throw error;
    // The connector reports our own refusal (from the guarded lookup) wrapped or as-is.
    const refusal = findProviderError(error);
    if (refusal) throw refusal;
    throw errorForFailure(error, { label: LABEL, reason, timeoutMs: options.timeoutMs, receivedHeaders, secrets: [] });
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    if (ownAgent) void ownAgent.destroy().catch(() => undefined);
  }
}

/** Server trouble is worth another attempt; a missing or forbidden file is not. */
function downloadStatusError(status: number): ProviderError {
  const options = { status, providerCode: 'download_failed' };
  if (status === 429) return new RateLimitedError('The image host is rate limiting downloads.', options);
  if (status >= 500) return new ServerError(`The image host had an error (HTTP ${status}).`, options);
  return new InvalidRequestError(`The image could not be downloaded (HTTP ${status}).`, options);
}

function findProviderError(error: unknown): ProviderError | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth += 1) {
    if (current instanceof ProviderError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
