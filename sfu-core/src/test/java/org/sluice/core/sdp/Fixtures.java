package org.sluice.core.sdp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Loads the browser offers in {@code src/test/resources/sdp}. */
public final class Fixtures {

    public static final List<String> ALL = List.of("chromium-sendonly.sdp", "chromium-simulcast-sendonly.sdp",
            "chromium-recvonly.sdp", "chromium-sendrecv.sdp", "firefox-simulcast-sendonly.sdp",
            "safari-sendrecv-datachannel.sdp", "firefox-conference.sdp", "safari-conference.sdp", "safari-recvonly.sdp",
            "safari-simulcast-sendonly.sdp");

    private Fixtures() {
    }

    public static String load(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/sdp/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
