import { lookup as dnsLookup, LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, LookupFunction } from 'node:net';

/**
 * Where webhooks may not go: this machine, the private networks behind it, link-local (the cloud
 * metadata service at 169.254.169.254), multicast and unspecified addresses. Without this an
 * INTEGRATION could subscribe http://127.0.0.1:5432 or the metadata service and read the answers
 * back from the delivery log: a port scanner on the police network.
 */
const FORBIDDEN_NETWORKS: readonly [string, number, 'ipv4' | 'ipv6'][] = [
  ['0.0.0.0', 8, 'ipv4'], // "this network", including 0.0.0.0
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'], // carrier-grade NAT
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'], // benchmarking
  ['224.0.0.0', 4, 'ipv4'], // multicast
  ['240.0.0.0', 4, 'ipv4'], // reserved, broadcast
  ['::', 128, 'ipv6'],
  ['::1', 128, 'ipv6'],
  ['fc00::', 7, 'ipv6'], // unique local
  ['fe80::', 10, 'ipv6'], // link-local
  ['ff00::', 8, 'ipv6'], // multicast
];

/** A target a webhook may not reach; `reason` is safe to show (it names no internal detail beyond the host given). */
export class ForbiddenWebhookTargetError extends Error {
  readonly code = 'EWEBHOOKTARGET';

  constructor(readonly reason: string) {
    super(reason);
    this.name = 'ForbiddenWebhookTargetError';
  }
}

/**
 * Decides which addresses webhook deliveries may connect to. `allowedNetworks` (CIDRs, from
 * WEBHOOK_ALLOWED_NETWORKS) opens forbidden ranges again: a local run's receiver on 127.0.0.1, or
 * an integration inside the police network. The check runs on the addresses a host name resolves
 * to, at connect time (`lookup`), so a name that resolves elsewhere later cannot slip through.
 */
export class WebhookTargets {
  private readonly forbidden = new BlockList();
  private readonly allowed = new BlockList();

  constructor(allowedNetworks: readonly string[] = []) {
    for (const [network, prefix, type] of FORBIDDEN_NETWORKS) this.forbidden.addSubnet(network, prefix, type);
    for (const cidr of allowedNetworks) {
      const { network, prefix, type } = parseCidr(cidr);
      this.allowed.addSubnet(network, prefix, type);
    }
  }

  /** Whether a delivery may connect to this IP address. */
  mayConnectTo(address: string): boolean {
    // An IPv4 address written as IPv6 (::ffff:127.0.0.1) is that IPv4 address.
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
    const ip = mapped ?? address;
    const type = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
    return this.allowed.check(ip, type) || !this.forbidden.check(ip, type);
  }

  /** Why a delivery may not go to this URL's host (resolving a name), or undefined when it may. */
  async refusal(url: string): Promise<string | undefined> {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    if (isIP(host)) return this.mayConnectTo(host) ? undefined : forbiddenAddress(host);
    const addresses = await new Promise<LookupAddress[]>((resolve) => dnsLookup(host, { all: true }, (error, found) => resolve(error ? [] : found)));
    if (addresses.length === 0) return `${host} does not resolve`;
    const blocked = addresses.find(({ address }) => !this.mayConnectTo(address));
    return blocked ? `${host} resolves to ${forbiddenAddress(blocked.address)}` : undefined;
  }

  /** A `lookup` for http(s).request that refuses forbidden addresses when the socket connects. */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 4);
      const blocked = addresses.find(({ address }) => !this.mayConnectTo(address));
      if (blocked) return callback(new ForbiddenWebhookTargetError(`${hostname} resolves to ${forbiddenAddress(blocked.address)}`), '', 4);
      // Node asks for every address when it races IPv4 and IPv6 (autoSelectFamily), else for one.
      if (options.all) return (callback as unknown as (error: null, all: LookupAddress[]) => void)(null, addresses);
      const [first] = addresses;
      return first ? callback(null, first.address, first.family) : callback(new ForbiddenWebhookTargetError(`${hostname} does not resolve`), '', 4);
    });
  };
}

function forbiddenAddress(address: string): string {
  return `an address webhooks may not reach (${address}: loopback, private, link-local, multicast or reserved)`;
}

function parseCidr(cidr: string): { network: string; prefix: number; type: 'ipv4' | 'ipv6' } {
  const [network = '', prefixText] = cidr.trim().split('/');
  const version = isIP(network);
  const prefix = prefixText === undefined ? (version === 6 ? 128 : 32) : Number(prefixText);
  if (!version || !Number.isInteger(prefix) || prefix < 0 || prefix > (version === 6 ? 128 : 32)) {
    throw new Error(`"${cidr}" is not a network in CIDR notation (e.g. 127.0.0.0/8 or ::1/128)`);
  }
  return { network, prefix, type: version === 6 ? 'ipv6' : 'ipv4' };
}

/** Whether a CIDR list reads (for config validation). */
export function isCidrList(value: string): boolean {
  try {
    value
      .split(',')
      .filter((cidr) => cidr.trim() !== '')
      .forEach(parseCidr);
    return true;
  } catch {
    return false;
  }
}

/** What a receiver answered. */
export interface ReceiverAnswer {
  statusCode: number;
  statusText: string;
}

/**
 * POSTs a body to a webhook target through `targets`' lookup, without following redirects (a 3xx
 * is an answer, not a new target), within `timeoutMs` for the whole exchange. The response body is
 * drained and dropped: receivers' answers are not stored.
 */
export function postToTarget(
  targets: WebhookTargets,
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<ReceiverAnswer> {
  const target = new URL(url);
  const host = target.hostname.replace(/^\[|\]$/g, '');
  // A literal IP never goes through lookup: check it here.
  if (isIP(host) && !targets.mayConnectTo(host)) return Promise.reject(new ForbiddenWebhookTargetError(forbiddenAddress(host)));
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: targets.lookup,
        signal: AbortSignal.timeout(timeoutMs),
      },
      (response) => {
        response.resume();
        response.once('end', () => resolve({ statusCode: response.statusCode ?? 0, statusText: response.statusMessage ?? '' }));
        response.once('error', reject);
      },
    );
    request.once('error', reject);
    request.end(body);
  });
}
