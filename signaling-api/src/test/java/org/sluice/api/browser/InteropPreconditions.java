package org.sluice.api.browser;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.List;

/**
 * What a browser interop test needs before it starts: Chromium installed, and a network where the
 * only interface up is loopback (so the browser can offer no other address). Missing either, the
 * test is skipped with a reason, or fails when {@code CI=true}.
 */
public final class InteropPreconditions {

    private InteropPreconditions() {
    }

    /** Skips (or under CI fails) unless Chromium exists and only loopback is up. */
    public static void requireChromiumAndIsolatedNetwork() throws SocketException {
        check(Chromium.findBinary().isPresent(), nonLoopbackInterfacesUp(), "true".equals(System.getenv("CI")));
    }

    /** As {@link #requireChromiumAndIsolatedNetwork()}, and Firefox ({@code firefox-esr}) installed too. */
    public static void requireFirefox() {
        require(Firefox.findBinary().isPresent(), "true".equals(System.getenv("CI")),
                "Firefox is not installed at " + Firefox.CANDIDATES + " (apt-get install -y firefox-esr)");
    }

    /** The decision itself: skip, fail (under CI) or go on. */
    static void check(boolean chromiumPresent, List<String> up, boolean ci) {
        require(chromiumPresent, ci,
                "Chromium is not installed at " + Chromium.CANDIDATES + " (apt-get install -y chromium)");
        require(up.isEmpty(), ci,
                "the test JVM sees network interfaces other than loopback up " + up
                        + "; run it with `./mvnw verify` as root so java-in-netns.sh puts it in a network namespace");
    }

    /** Names of the interfaces other than loopback that are up, as {@link NetworkInterface} reports them. */
    static List<String> nonLoopbackInterfacesUp() throws SocketException {
        return NetworkInterface.networkInterfaces().filter(nic -> {
            try {
                return nic.isUp() && !nic.isLoopback();
            } catch (SocketException e) {
                return true;
            }
        }).map(NetworkInterface::getName).toList();
    }

    private static void require(boolean condition, boolean ci, String reason) {
        if (condition) {
            return;
        }
        if (ci) {
            fail("interop precondition not met under CI=true: " + reason);
        }
        assumeTrue(false, "skipping browser interop: " + reason);
    }
}
