package com.rainforestqa.integrations.host.outbound;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;

/**
 * Which addresses outbound requests may not reach unless the operator allows private addresses: anything that is
 * not the public internet, where a user-supplied URL could reach our own network or a cloud metadata service.
 *
 * <p>The check works on resolved addresses, so every spelling of an address (decimal, octal, hex, IPv4-mapped IPv6)
 * meets the same rule, and it runs again on the address the client actually connects to, so a DNS answer that
 * changes between check and connect (rebinding) is caught too.
 */
final class AddressGuard {
    private AddressGuard() {
    }

    /**
     * Why an address may not be reached.
     *
     * @param address a resolved address
     * @return the kind of address, or empty when it is public
     */
    static Optional<String> forbidden(InetAddress address) {
        if (address.isAnyLocalAddress()) {
            return Optional.of("unspecified");
        }
        if (address.isLoopbackAddress()) {
            return Optional.of("loopback");
        }
        if (address.isLinkLocalAddress()) {
            return Optional.of("link-local");
        }
        if (address.isSiteLocalAddress()) {
            return Optional.of("private");
        }
        if (address.isMulticastAddress()) {
            return Optional.of("multicast");
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address) {
            Optional<InetAddress> embedded = embeddedIpv4(bytes);
            if (embedded.isPresent()) {
                return forbidden(embedded.get());
            }
            if ((bytes[0] & 0xfe) == 0xfc) {
                return Optional.of("private");
            }
            return Optional.empty();
        }
        int first = bytes[0] & 0xff;
        int second = bytes[1] & 0xff;
        if (first == 0) {
            return Optional.of("unspecified");
        }
        if (first == 100 && second >= 64 && second <= 127) {
            return Optional.of("shared (CGNAT)");
        }
        if (first == 255 && (bytes[1] & bytes[2] & bytes[3] & 0xff) == 0xff) {
            return Optional.of("broadcast");
        }
        if (first >= 240) {
            return Optional.of("reserved");
        }
        return Optional.empty();
    }

    /** IPv4-mapped ({@code ::ffff:a.b.c.d}) and IPv4-compatible ({@code ::a.b.c.d}) IPv6 addresses. */
    private static Optional<InetAddress> embeddedIpv4(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return Optional.empty();
            }
        }
        boolean mapped = (bytes[10] & 0xff) == 0xff && (bytes[11] & 0xff) == 0xff;
        boolean compatible = bytes[10] == 0 && bytes[11] == 0;
        if (!mapped && !compatible) {
            return Optional.empty();
        }
        try {
            return Optional.of(Inet4Address.getByAddress(new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]}));
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }
}
