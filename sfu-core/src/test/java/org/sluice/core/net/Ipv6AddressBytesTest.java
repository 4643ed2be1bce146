package org.sluice.core.net;

import org.junit.jupiter.api.Test;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class Ipv6AddressBytesTest {

    @Test
    void anAddressIsCopiedOnceAndItsBytesAreRight() throws Exception {
        Ipv6AddressBytes cache = new Ipv6AddressBytes();
        Inet6Address address = (Inet6Address) InetAddress.getByName("2001:db8::1:2");
        byte[] first = cache.of(address);
        assertThat(first).isEqualTo(address.getAddress());
        assertThat(cache.of(address)).as("the same object's bytes, not a new copy").isSameAs(first);
    }

    @Test
    void moreAddressesThanSlotsAreStillEachTheirOwn() throws Exception {
        Ipv6AddressBytes cache = new Ipv6AddressBytes();
        List<Inet6Address> addresses = new ArrayList<>();
        for (int i = 0; i < 3 * Ipv6AddressBytes.SLOTS; i++) {
            addresses.add((Inet6Address) InetAddress.getByName("2001:db8::" + Integer.toHexString(i)));
        }
        for (int round = 0; round < 2; round++) {
            for (Inet6Address address : addresses) {
                assertThat(cache.of(address)).as("%s", address).isEqualTo(address.getAddress());
            }
        }
        Inet6Address twin = (Inet6Address) InetAddress.getByName("2001:db8::7");
        assertThat(cache.of(twin)).as("an equal address in another object").isEqualTo(twin.getAddress());
    }
}
