package org.sluice.api.media;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sluice.api.browser.BrowserPage;
import org.sluice.api.browser.Chromium;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An ICE restart of an established WHEP viewer, as RFC 9725 §4.4 has it: the browser restarts ICE,
 * PATCHes its new credentials to the session resource as a trickle-ice-sdpfrag with
 * {@code If-Match: *}, and applies the credentials of Sluice's 200 fragment. The viewer's selected
 * pair moves to the new generation (checks with the new ufrag succeed against the ICE-lite server),
 * the session's ETag changes, and video keeps being decoded.
 */
class IceRestartInteropTest {

    private static final Duration MEDIA_DEADLINE = Duration.ofSeconds(40);

    @RegisterExtension
    static final InteropServer SERVER = new InteropServer();

    @Test
    void viewerRestartsIceOverPatchAndKeepsDecoding() throws Exception {
        String room = "restart";
        try (Chromium chromium = Chromium.launch()) {
            BrowserPage viewer = open(chromium);
            MediaPages.recordEtags(viewer);
            MediaPages.watch(viewer, room);
            BrowserPage publisher = open(chromium);
            MediaPages.publish(publisher, room, 640, 360);

            JsonObject before = MediaPages.awaitStats(() -> MediaPages.viewerStats(viewer),
                    s -> s.getLong("framesDecoded") >= 30, MEDIA_DEADLINE);
            assertThat(before.getLong("framesDecoded")).as("established, %s", before).isGreaterThanOrEqualTo(30);
            JsonArray etags = (JsonArray) viewer.evaluate("window.etags");
            assertThat(etags).as("the POST's ETag").hasSize(1);
            String firstEtag = etags.getString(0);
            String resource = (String) viewer.evaluate("window.viewer.resource");
            assertThat(resource).as("negotiate.js keeps the Location as the resource")
                    .startsWith(SERVER.origin() + "/whep/" + room + "/");
            JsonObject pairBefore = MediaPages.selectedPair(viewer, "window.viewer.pc");
            System.out.println("selected pair before the restart: " + pairBefore.encode());

            JsonObject restart = MediaPages.iceRestart(viewer, "window.viewer");
            System.out.println("restart: " + restart.encode());
            assertThat(restart.getString("error")).as("restart in the page, %s", restart).isNull();
            assertThat(restart.getInteger("status")).as("PATCH status, %s", restart).isEqualTo(200);
            assertThat(restart.getString("contentType")).startsWith("application/trickle-ice-sdpfrag");
            assertThat(restart.getString("newLocalUfrag")).as("the browser's new ufrag")
                    .isNotEqualTo(restart.getString("oldLocalUfrag"));
            assertThat(restart.getString("newRemoteUfrag")).as("Sluice's new ufrag, %s", restart).isNotNull()
                    .isNotEqualTo(restart.getString("oldRemoteUfrag"));
            assertThat(restart.getString("newRemotePwd")).as("Sluice's new password").isNotNull()
                    .isNotEqualTo(restart.getString("oldRemotePwd"));
            assertThat(restart.getString("sentFragment")).as("the PATCH carries the new candidates")
                    .containsPattern("a=candidate:\\S+ 1 udp \\d+ 127\\.0\\.0\\.1 ");
            assertThat(restart.getString("answerFragment")).contains("a=candidate:").contains("a=mid:");
            assertThat(restart.getString("etag")).as("ETag after the restart").isNotEmpty().isNotEqualTo(firstEtag);
            assertThat(restart.getBoolean("applied")).isTrue();

            // The browser's checks with the new credentials succeed: its selected pair is of the new generation.
            String newLocalUfrag = restart.getString("newLocalUfrag");
            JsonObject pairAfter = MediaPages.awaitStats(() -> MediaPages.selectedPair(viewer, "window.viewer.pc"),
                    p -> newLocalUfrag.equals(p.getString("localUfrag")) && "connected".equals(p.getString("connectionState")),
                    Duration.ofSeconds(20));
            System.out.println("selected pair after the restart: " + pairAfter.encode());
            assertThat(pairAfter.getString("localUfrag")).as("selected pair's local ufrag, %s", pairAfter)
                    .isEqualTo(newLocalUfrag);
            assertThat(pairAfter.getString("pairId")).as("a new pair").isNotEqualTo(pairBefore.getString("pairId"));
            assertThat(pairAfter.getLong("responsesReceived")).as("checks answered on the new pair").isPositive();
            assertThat(pairAfter.getString("connectionState")).isEqualTo("connected");

            // Media keeps flowing after the restart.
            long framesAtRestart = MediaPages.viewerStats(viewer).getLong("framesDecoded");
            JsonObject after = MediaPages.awaitStats(() -> MediaPages.viewerStats(viewer),
                    s -> s.getLong("framesDecoded") >= framesAtRestart + 60, MEDIA_DEADLINE);
            System.out.println("viewer stats after the restart: " + after.encode());
            assertThat(after.getLong("framesDecoded")).as("frames after the restart, %s", after)
                    .isGreaterThanOrEqualTo(framesAtRestart + 60);
            assertThat(after.getString("connectionState")).isEqualTo("connected");
            assertThat(after.getString("signalingState")).isEqualTo("stable");

            // A second PATCH with the now current credentials is plain trickle: 204, same ETag.
            Object status = viewer.evaluate("""
                    (async () => {
                      const sdp = window.viewer.pc.localDescription.sdp;
                      const v = (n) => sdp.match(new RegExp('a=' + n + ':(\\\\S+)'))[1];
                      const r = await fetch(window.viewer.resource, { method: 'PATCH',
                        headers: { 'Content-Type': 'application/trickle-ice-sdpfrag', 'If-Match': '*' },
                        body: 'a=ice-ufrag:' + v('ice-ufrag') + '\\r\\na=ice-pwd:' + v('ice-pwd') + '\\r\\nm=video 9 UDP/TLS/RTP/SAVPF 0\\r\\na=mid:0\\r\\n' });
                      return r.status + ' ' + (r.headers.get('ETag') || '');
                    })()""");
            assertThat(String.valueOf(status)).as("trickle with unchanged credentials")
                    .isEqualTo("204 " + restart.getString("etag"));
        }
    }

    private static BrowserPage open(Chromium chromium) throws Exception {
        BrowserPage page = chromium.openPage();
        page.navigate(SERVER.origin() + "/", Duration.ofSeconds(15));
        return page;
    }
}
