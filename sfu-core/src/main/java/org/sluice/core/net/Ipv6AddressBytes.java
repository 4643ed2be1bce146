package org.sluice.core.net;

import java.net.Inet6Address;

/**
 * The 16 bytes of IPv6 addresses a media loop sends to, kept per address object: {@link Inet6Address#getAddress()}
 * copies them into a new array on every call, and a peer's address object stays the same for the life of its path.
 * Direct-mapped by identity; a slot taken by another address is replaced, so a loop that sends to more addresses
 * than there are slots copies some of them again, and is still correct. Holds at most {@link #SLOTS} addresses of
 * peers that may have left. One loop's, not thread-safe.
 */
final class Ipv6AddressBytes {

    /** Addresses kept: a power of two. */
    static final int SLOTS = 1024;

    private final Inet6Address[] keys = new Inet6Address[SLOTS];
    private final byte[][] bytes = new byte[SLOTS][];

    /** The address's 16 bytes; the caller reads them and does not keep or change the array. */
    byte[] of(Inet6Address address) {
        int slot = System.identityHashCode(address) & (SLOTS - 1);
        if (keys[slot] != address) {
            bytes[slot] = address.getAddress();
            keys[slot] = address;
        }
        return bytes[slot];
    }
}
