package com.rainforestqa.integrations.host.outbound;

import io.helidon.webclient.api.DnsAddressLookup;
import io.helidon.webclient.spi.DnsResolver;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Resolves target hosts for the client and refuses forbidden addresses at that point, so the address checked is the
 * address connected to. A host with any forbidden address is refused whole: a mix of public and private answers is
 * what a rebinding attack looks like.
 */
final class GuardedDnsResolver implements DnsResolver {
    private final boolean allowPrivateAddresses;

    GuardedDnsResolver(boolean allowPrivateAddresses) {
        this.allowPrivateAddresses = allowPrivateAddresses;
    }

    @Override
    public InetAddress resolveAddress(String hostname, DnsAddressLookup lookup) {
        InetAddress[] addresses = resolveAll(hostname);
        InetAddress[] preferred = lookup.filter(addresses);
        return preferred.length > 0 ? preferred[0] : addresses[0];
    }

    /**
     * Resolves a host and checks every address.
     *
     * @param hostname the host
     * @return its addresses, all allowed
     * @throws ForbiddenAddressException if an address may not be reached
     * @throws UnresolvableHostException if the host does not resolve
     */
    InetAddress[] resolveAll(String hostname) {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(hostname);
        } catch (UnknownHostException e) {
            throw new UnresolvableHostException(hostname);
        }
        if (!allowPrivateAddresses) {
            for (InetAddress address : addresses) {
                Optional<String> kind = AddressGuard.forbidden(address);
                if (kind.isPresent()) {
                    throw new ForbiddenAddressException(hostname, kind.get());
                }
            }
        }
        return addresses;
    }

    /** A host that resolves to an address outbound requests may not reach. */
    static final class ForbiddenAddressException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ForbiddenAddressException(String host, String kind) {
            super(host + " resolves to a " + kind + " address", null, false, false);
        }
    }

    /** A host without addresses. */
    static final class UnresolvableHostException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnresolvableHostException(String host) {
            super(host, null, false, false);
        }
    }
}
