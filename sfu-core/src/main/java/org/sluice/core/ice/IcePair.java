package org.sluice.core.ice;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A candidate pair as an ICE-lite agent sees it: the peer's transport address and the transport
 * it arrived on (our side is the shared host socket).
 */
public record IcePair(InetSocketAddress remote, TransportKind kind) {

    public IcePair {
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(kind, "kind");
    }

    /** Equality with (address, kind) without allocating a pair. */
    public boolean matches(InetSocketAddress address, TransportKind transport) {
        return kind == transport && remote.equals(address);
    }
}
