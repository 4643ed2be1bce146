package org.sluice.api.browser;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A headless Firefox (Debian's {@code firefox-esr}) with a fresh profile, driven over WebDriver BiDi: started with
 * {@code --remote-debugging-port 0}, it writes the port it listens on to {@code WebDriverBiDiServer.json} in the
 * profile; one BiDi session is created on it and every page is a new tab. The profile's {@code user.js} gives fake
 * media devices without permission prompts, plain host candidates (no mDNS), {@code getUserMedia} on plain-http
 * pages, every host candidate (loopback ones included) and no background networking. No driver binary is involved. {@link #close()} kills the process tree by PID and deletes the profile.
 */
public final class Firefox implements Browser {

    /** Debian's binary ({@code /usr/bin/firefox-esr} is a link to it). */
    static final List<Path> CANDIDATES = List.of(Path.of("/usr/lib/firefox-esr/firefox-esr"),
            Path.of("/usr/bin/firefox-esr"));

    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration LAUNCH_TIMEOUT = Duration.ofSeconds(60);

    /** Preferences for a test profile. */
    static final List<String> PREFERENCES = List.of(
            // media: fake devices, no prompt, plain-http pages may capture, host candidates unobfuscated
            "media.navigator.streams.fake=true",
            "media.navigator.permission.disabled=true",
            "media.devices.insecure.enabled=true",
            "media.getusermedia.insecure.enabled=true",
            "media.peerconnection.ice.obfuscate_host_addresses=false",
            // Firefox skips loopback interfaces ("Ignoring loopback addr" in the nicer log) and then looks for a
            // "default address" by routing a UDP socket towards a public address; in a namespace with only lo up
            // there is no route, that fails ("failed to find default addresses") and ICE gathers nothing at all
            // (iceGatheringState stays "new"). With loopback allowed it gathers 127.0.0.1 and ::1.
            "media.peerconnection.ice.loopback=true",
            // Without a camera/microphone permission (an active capture does not count for fake devices), Firefox
            // offers only the default address; granting both by default lets it offer every host candidate.
            "permissions.default.camera=1",
            "permissions.default.microphone=1",
            // with no route, Firefox would call itself offline; ICE runs in the content process
            "network.manage-offline-status=false",
            "network.offline-mirrors-connectivity=false",
            "media.peerconnection.mtransport_process=false",
            "media.autoplay.default=0",
            "media.autoplay.blocking_policy=0",
            // quiet: no first-run pages, updates, telemetry, remote settings or captive-portal probes
            "browser.shell.checkDefaultBrowser=false",
            "browser.startup.homepage_override.mstone=\"ignore\"",
            "browser.aboutwelcome.enabled=false",
            "datareporting.policy.dataSubmissionEnabled=false",
            "datareporting.healthreport.uploadEnabled=false",
            "toolkit.telemetry.enabled=false",
            "app.update.disabledForTesting=true",
            "app.normandy.enabled=false",
            "extensions.update.enabled=false",
            "network.captive-portal-service.enabled=false",
            "network.connectivity-service.enabled=false",
            "browser.safebrowsing.malware.enabled=false",
            "browser.safebrowsing.phishing.enabled=false",
            "media.gmp-manager.updateEnabled=false",
            "services.settings.server=\"http://127.0.0.1:9/\"",
            "messaging-system.rsexperimentloader.enabled=false");

    private final Process process;
    private final Path profile;
    private final BidiConnection bidi;

    private Firefox(Process process, Path profile, BidiConnection bidi) {
        this.process = process;
        this.profile = profile;
        this.bidi = bidi;
    }

    /** The Firefox binary on this machine, if any. */
    public static Optional<Path> findBinary() {
        return CANDIDATES.stream().filter(Files::isExecutable).findFirst();
    }

    /** Launches Firefox, connects to its BiDi endpoint and creates the session. */
    public static Firefox launch() throws Exception {
        Path binary = findBinary().orElseThrow(() -> new IllegalStateException("no Firefox at " + CANDIDATES));
        Path profile = Files.createTempDirectory("sluice-firefox-");
        StringBuilder userJs = new StringBuilder();
        for (String preference : PREFERENCES) {
            int eq = preference.indexOf('=');
            userJs.append("user_pref(\"").append(preference, 0, eq).append("\", ")
                    .append(preference.substring(eq + 1)).append(");\n");
        }
        Files.writeString(profile.resolve("user.js"), userJs.toString());
        Process process = new ProcessBuilder(binary.toString(), "--headless", "--no-remote", "--profile",
                profile.toString(), "--remote-debugging-port", "0", "about:blank")
                .redirectErrorStream(true)
                .redirectOutput(profile.resolve("firefox.log").toFile())
                .start();
        BidiConnection bidi = null;
        try {
            bidi = BidiConnection.open(awaitBidiEndpoint(process, profile), COMMAND_TIMEOUT);
            bidi.send("session.new", new JsonObject().put("capabilities", new JsonObject()), COMMAND_TIMEOUT);
            return new Firefox(process, profile, bidi);
        } catch (Exception | Error e) {
            if (bidi != null) {
                bidi.close();
            }
            Chromium.kill(process);
            Chromium.deleteTree(profile);
            throw e;
        }
    }

    private static URI awaitBidiEndpoint(Process process, Path profile) throws Exception {
        Path portFile = profile.resolve("WebDriverBiDiServer.json");
        long deadline = System.nanoTime() + LAUNCH_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Firefox exited with " + process.exitValue() + ": " + tail(profile));
            }
            if (Files.exists(portFile)) {
                try {
                    JsonObject server = new JsonObject(Files.readString(portFile, StandardCharsets.UTF_8));
                    Integer port = server.getInteger("ws_port");
                    if (port != null && port > 0) {
                        return URI.create("ws://127.0.0.1:" + port + "/session");
                    }
                } catch (RuntimeException partial) {
                    // written but not complete yet
                }
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("Firefox wrote no WebDriverBiDiServer.json within " + LAUNCH_TIMEOUT + ": "
                + tail(profile));
    }

    private static String tail(Path profile) {
        try {
            List<String> lines = Files.readAllLines(profile.resolve("firefox.log"), StandardCharsets.UTF_8);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "(no log)";
        }
    }

    /** Opens a new tab (a top-level browsing context). */
    @Override
    public BrowserPage openPage() throws Exception {
        String context = bidi.send("browsingContext.create", new JsonObject().put("type", "tab"), COMMAND_TIMEOUT)
                .getString("context");
        return new FirefoxPage(bidi, context);
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public String name() {
        return "firefox";
    }

    /** Kills Firefox and its content processes by PID, then deletes the profile. */
    @Override
    public void close() {
        bidi.close();
        Chromium.kill(process);
        Chromium.deleteTree(profile);
    }
}
