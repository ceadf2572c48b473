import { ipLiteral, isAddressAllowed } from '../../../server/src/http/address';

describe('http/address', () => {
  describe('isAddressAllowed', () => {
    it.each([
      ['8.8.8.8', true, true],
      ['93.184.216.34', true, true],
      ['2001:4860:4860::8888', true, true],
      ['::ffff:8.8.8.8', true, true],
      ['10.0.0.1', false, false],
      ['10.255.255.255', false, false],
      ['172.16.0.1', false, false],
      ['172.31.255.254', false, false],
      ['172.32.0.1', true, true],
      ['192.168.1.1', false, false],
      ['169.254.169.254', false, false],
      ['100.64.0.1', false, false],
      ['0.0.0.0', false, false],
      ['224.0.0.1', false, false],
      ['255.255.255.255', false, false],
      ['127.0.0.1', false, true],
      ['127.8.9.10', false, true],
      ['::1', false, true],
      ['::', false, false],
      ['fc00::1', false, false],
      ['fd12:3456:789a::1', false, false],
      ['fe80::1', false, false],
      ['fe80::1%eth0', false, false],
      ['febf::1', false, false],
      ['ff02::1', false, false],
      ['::ffff:10.0.0.1', false, false],
      ['::ffff:a00:1', false, false],
      ['::ffff:127.0.0.1', false, true],
      ['::ffff:192.168.0.1', false, false],
      ['64:ff9b::10.0.0.1', false, false],
      ['[::1]', false, true],
      ['not-an-ip', false, false],
    ])('treats %s as allowed=%s (allowed=%s when loopback is allowed)', (address, allowed, allowedWithLoopback) => {
      expect(isAddressAllowed(address)).toBe(allowed);
      expect(isAddressAllowed(address, { allowLoopback: true })).toBe(allowedWithLoopback);
    });
  });

  describe('ipLiteral', () => {
    it.each([
      ['[::1]', '::1'],
      ['10.0.0.1', '10.0.0.1'],
      ['images.example.com', null],
    ])('reads %s as %s', (hostname, expected) => {
      expect(ipLiteral(hostname)).toBe(expected);
    });
  });
});
