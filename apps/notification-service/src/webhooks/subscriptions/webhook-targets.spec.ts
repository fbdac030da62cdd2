import { WebhookTargets } from './webhook-targets';

describe('WebhookTargets: the addresses a webhook may connect to', () => {
  const strict = new WebhookTargets();

  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['10.20.30.40', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.254', 'private'],
    ['192.168.1.10', 'private'],
    ['169.254.169.254', 'link-local: the cloud metadata service'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.251', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::1', 'IPv6 loopback'],
    ['::', 'IPv6 unspecified'],
    ['fd12:3456::1', 'IPv6 unique local'],
    ['fe80::1', 'IPv6 link-local'],
    ['ff02::1', 'IPv6 multicast'],
    ['::ffff:127.0.0.1', 'loopback written as IPv6'],
    ['::ffff:169.254.169.254', 'metadata service written as IPv6'],
  ])('refuses %s (%s)', (address) => {
    expect(strict.mayConnectTo(address)).toBe(false);
  });

  it.each(['8.8.8.8', '172.32.0.1', '203.0.113.7', '2001:4860:4860::8888', '::ffff:8.8.8.8'])('lets %s through', (address) => {
    expect(strict.mayConnectTo(address)).toBe(true);
  });

  it('opens exactly the allowed networks again', () => {
    const local = new WebhookTargets(['127.0.0.0/8', '::1/128', '10.1.0.0/16']);
    expect(local.mayConnectTo('127.0.0.1')).toBe(true);
    expect(local.mayConnectTo('::1')).toBe(true);
    expect(local.mayConnectTo('10.1.2.3')).toBe(true);
    expect(local.mayConnectTo('10.2.0.1')).toBe(false);
    expect(local.mayConnectTo('169.254.169.254')).toBe(false);
  });

  it('refuses a URL whose host is a literal forbidden address, without resolving anything', async () => {
    expect(await strict.refusal('http://169.254.169.254/latest/meta-data/')).toMatch(/^an address webhooks may not reach \(169\.254\.169\.254/);
    expect(await strict.refusal('http://[::1]:5432/')).toMatch(/\(::1:/);
    expect(await strict.refusal('https://8.8.8.8/hook')).toBeUndefined();
  });

  it('refuses a network list that does not read', () => {
    expect(() => new WebhookTargets(['127.0.0.0/33'])).toThrow('"127.0.0.0/33" is not a network in CIDR notation');
  });
});
