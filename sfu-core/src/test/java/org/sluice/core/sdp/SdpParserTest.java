package org.sluice.core.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SdpParserTest {

    static final List<String> FIXTURES = Fixtures.ALL;

    @ParameterizedTest
    @FieldSource("FIXTURES")
    void roundTripKeepsEverySemanticField(String name) throws Exception {
        SessionDescription first = SdpParser.parse(Fixtures.load(name));
        String written = SdpWriter.write(first);
        SessionDescription second = SdpParser.parse(written);
        assertThat(normalized(second)).isEqualTo(normalized(first));
        assertThat(SdpWriter.write(second)).isEqualTo(written);
    }

    @ParameterizedTest
    @FieldSource("FIXTURES")
    void generatedTextUsesCrlfAndRfcLineOrder(String name) throws Exception {
        String written = SdpWriter.write(SdpParser.parse(Fixtures.load(name)));
        assertThat(written).endsWith("\r\n");
        assertThat(written.replace("\r\n", "")).doesNotContain("\n").doesNotContain("\r");
        String[] lines = written.split("\r\n");
        assertThat(lines[0]).isEqualTo("v=0");
        assertThat(lines[1]).startsWith("o=");
        assertThat(lines[2]).startsWith("s=");
        String sessionOrder = "vosiuepcbtrzka";
        String mediaOrder = "micbka";
        boolean inMedia = false;
        int last = 0;
        for (String line : lines) {
            char t = line.charAt(0);
            if (t == 'm') {
                inMedia = true;
                last = 0;
                continue;
            }
            int idx = (inMedia ? mediaOrder : sessionOrder).indexOf(t);
            assertThat(idx).as("line type %s in order", line).isGreaterThanOrEqualTo(last);
            last = idx;
        }
    }

    @ParameterizedTest
    @FieldSource("FIXTURES")
    void unknownAttributesSurviveVerbatim(String name) throws Exception {
        String text = Fixtures.load(name);
        String written = SdpWriter.write(SdpParser.parse(text));
        for (String line : text.split("\r\n")) {
            if (line.startsWith("a=rtcp-xr") || line.startsWith("a=sctp-port") || line.startsWith("a=max-message-size")
                    || line.startsWith("a=rtcp:")) {
                assertThat(written).contains(line + "\r\n");
            }
        }
        assertThat(written.split("\r\n")).hasSameSizeAs(text.split("\r\n"));
    }

    @Test
    void chromiumSimulcastOfferIsReadIntoTypedFields() throws Exception {
        SessionDescription sdp = SdpParser.parse(Fixtures.load("chromium-simulcast-sendonly.sdp"));
        assertThat(sdp.group("BUNDLE").mids()).containsExactly("0", "1");
        assertThat(sdp.extmapAllowMixed()).isTrue();
        assertThat(sdp.msidSemantic()).startsWith(" WMS ");
        MediaDescription audio = sdp.media().get(0);
        assertThat(audio.kind()).isEqualTo("audio");
        assertThat(audio.proto()).isEqualTo("UDP/TLS/RTP/SAVPF");
        assertThat(audio.direction()).isEqualTo(Direction.SENDONLY);
        assertThat(audio.rtcpMux()).isTrue();
        assertThat(audio.rtpMap(111)).isEqualTo(new RtpMap(111, "opus", 48000, "2"));
        assertThat(audio.fmtp("111")).isEqualTo("minptime=10;useinbandfec=1");
        assertThat(audio.setup()).isEqualTo(Setup.ACTPASS);
        assertThat(audio.fingerprints().get(0).algorithm()).isEqualTo("sha-256");
        assertThat(audio.candidates()).isNotEmpty();
        Candidate c = audio.candidates().get(0);
        assertThat(c.transport()).isEqualTo("udp");
        assertThat(c.address()).isEqualTo("127.0.0.1");
        assertThat(c.type()).isEqualTo("host");
        assertThat(c.extension("generation")).isEqualTo("0");
        MediaDescription video = sdp.media().get(1);
        assertThat(video.rids()).extracting(Rid::id).containsExactly("q", "h", "f");
        assertThat(video.rids()).allMatch(r -> r.direction() == Rid.RidDirection.SEND);
        assertThat(video.simulcast().send()).hasSize(3);
        assertThat(video.simulcast().send().get(0)).containsExactly(new Simulcast.Layer("q", false));
        assertThat(video.simulcast().recv()).isEmpty();
        assertThat(video.extmaps()).contains(
                new Extmap(10, null, "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id", null));
        assertThat(video.rtcpFbs("96")).extracting(RtcpFb::feedback)
                .containsExactly("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli");
        assertThat(video.msids()).hasSize(1);
    }

    @Test
    void chromiumSendrecvOfferHasSsrcsAndFidGroup() throws Exception {
        SessionDescription sdp = SdpParser.parse(Fixtures.load("chromium-sendrecv.sdp"));
        MediaDescription video = sdp.media().get(1);
        assertThat(video.effectiveDirection()).isEqualTo(Direction.SENDRECV);
        assertThat(video.ssrcGroups()).hasSize(1);
        SsrcGroup fid = video.ssrcGroups().get(0);
        assertThat(fid.semantics()).isEqualTo("FID");
        assertThat(fid.ssrcs()).hasSize(2);
        assertThat(video.ssrcs()).extracting(SsrcAttribute::attribute).contains("cname", "msid");
        assertThat(video.ssrcs().get(0).ssrc()).isEqualTo(fid.ssrcs().get(0));
    }

    @Test
    void firefoxOfferKeepsSessionLevelFingerprintAndExtmapDirections() throws Exception {
        SessionDescription sdp = SdpParser.parse(Fixtures.load("firefox-simulcast-sendonly.sdp"));
        assertThat(sdp.fingerprints()).hasSize(1);
        assertThat(sdp.iceOptions()).containsExactly("trickle");
        assertThat(sdp.otherAttributes()).contains(new Attribute("sendrecv", null));
        MediaDescription audio = sdp.media().get(0);
        assertThat(audio.extmaps()).contains(
                new Extmap(2, Direction.RECVONLY, "urn:ietf:params:rtp-hdrext:csrc-audio-level", null));
        assertThat(audio.rtpMap(9).encodingParameters()).isEqualTo("1");
        assertThat(audio.fmtp("101")).isEqualTo("0-15");
        MediaDescription data = sdp.media().get(2);
        assertThat(data.kind()).isEqualTo("application");
        assertThat(data.formats()).containsExactly("webrtc-datachannel");
        assertThat(data.otherAttributes()).contains(new Attribute("sctp-port", "5000"),
                new Attribute("max-message-size", "1073741823"));
    }

    @Test
    void simulcastAlternativesAndPausedStreams() throws Exception {
        Simulcast s = AttributeParsers.simulcast("send 1,2;~3 recv 4", 1);
        assertThat(s.send()).containsExactly(
                List.of(new Simulcast.Layer("1", false), new Simulcast.Layer("2", false)),
                List.of(new Simulcast.Layer("3", true)));
        assertThat(s.recv()).containsExactly(List.of(new Simulcast.Layer("4", false)));
        assertThat(s.toString()).isEqualTo("send 1,2;~3 recv 4");
        assertThat(s.mirrored().toString()).isEqualTo("send 4 recv 1,2;~3");
        assertThat(AttributeParsers.simulcast("recv a;b", 1).recv()).hasSize(2);
    }

    @Test
    void ridWithRestrictionsAndExtmapWithAttributes() throws Exception {
        Rid rid = AttributeParsers.rid("h send pt=96,97;max-width=640", 1);
        assertThat(rid).isEqualTo(new Rid("h", Rid.RidDirection.SEND, "pt=96,97;max-width=640"));
        Extmap e = AttributeParsers.extmap("7/sendonly urn:example:ext extra attr", 1);
        assertThat(e).isEqualTo(new Extmap(7, Direction.SENDONLY, "urn:example:ext", "extra attr"));
        assertThat(e.toString()).isEqualTo("7/sendonly urn:example:ext extra attr");
    }

    @Test
    void candidateWithRelatedAddressRoundTrips() throws Exception {
        String text = "842163049 1 udp 1677729535 203.0.113.7 55119 typ srflx raddr 192.168.1.3 rport 50181 "
                + "generation 0 network-cost 999";
        Candidate c = Candidate.parse("candidate:" + text);
        assertThat(c.relatedAddress()).isEqualTo("192.168.1.3");
        assertThat(c.relatedPort()).isEqualTo(50181);
        assertThat(c.priority()).isEqualTo(1677729535L);
        assertThat(c.extension("network-cost")).isEqualTo("999");
        assertThat(c.value()).isEqualTo(text);
        assertThat(Candidate.parse("a=candidate:" + text)).isEqualTo(c);
    }

    @Test
    void keepsRepeatedTimeDescriptionsInOrder() throws Exception {
        String sdp = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\ni=info\r\nb=AS:100\r\nt=1 2\r\nr=7d 1h 0 25h\r\n"
                + "t=3 4\r\nz=2882844526 -1h\r\nk=prompt\r\na=x\r\n";
        assertThat(SdpWriter.write(SdpParser.parse(sdp))).isEqualTo(sdp);
    }

    @Test
    void acceptsLfLineEndingsAndBlankLines() throws Exception {
        String sdp = "v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\n\nt=0 0\nm=audio 9 UDP/TLS/RTP/SAVPF 111\na=mid:0\n";
        SessionDescription parsed = SdpParser.parse(sdp);
        assertThat(parsed.media()).hasSize(1);
        assertThat(parsed.media().get(0).mid()).isEqualTo("0");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "v=1\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n|line 1: v= must be 0",
        "o=- 1 1 IN IP4 0.0.0.0\r\n|line 1: expected v= line",
        "v=0\r\no=- x 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n|line 2: o= session id",
        "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\n|no t= line",
        "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nq=1\r\n|line 5: unexpected q= line",
        "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\ni=late\r\n|line 5: i= line after t= line is out of order",
        "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\na=mid:0\r\nc=IN IP4 0.0.0.0\r\n|line 7: c= line after a= line is out of order",
        "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 70000 RTP/AVP 0\r\n|line 5: m= port",
        "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/AVP\r\n|line 5: m= needs",
        "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\na=rtpmap:300 x/1\r\n|line 6: a=rtpmap payload type",
        "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\na=extmap:0 urn:x\r\n|line 6: a=extmap id",
        "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\na=ssrc:99999999999 cname:x\r\n|line 6: a=ssrc id",
        "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\na=candidate:1 1 udp 1 1.2.3.4 9 host\r\n|line 6: a=candidate needs",
        "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\na=mid:0\r\na=mid:1\r\n|line 7: a=mid appears twice",
        "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\na=sendonly\r\na=recvonly\r\n|line 7: a=sendrecv/sendonly/recvonly/inactive appears twice",
        "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\na=fingerprint:sha-256 XY:00\r\n|line 6: a=fingerprint value",
        "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\na=ice-pwd:short\r\n|line 6: a=ice-pwd",
        "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=video 9 RTP/AVP 96\r\na=simulcast:send q;;f\r\n|line 6: a=simulcast has a bad rid",
        "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=video 9 RTP/AVP 96\r\na=rid:q both\r\n|line 6: a=rid direction",
        "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=video 9 RTP/AVP 96\r\na=rtcp-mux:yes\r\n|line 6: a=rtcp-mux takes no value",
        "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=video 9 RTP/AVP 96\r\nxyz\r\n|line 6: expected <type>=<value>",
        "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=video 9 RTP/AVP 96\r\na=ms\u0000id:x\r\n|line 6: control character",
    })
    void malformedInputNamesLineAndProblem(String caseText) {
        int bar = caseText.lastIndexOf('|');
        String sdp = caseText.substring(0, bar);
        String expected = caseText.substring(bar + 1);
        assertThatThrownBy(() -> SdpParser.parse(sdp)).isInstanceOf(SdpParseException.class)
                .hasMessageContaining(expected);
    }

    @Test
    void limitsAreEnforced() {
        String head = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n";
        assertThatThrownBy(() -> SdpParser.parse(head + "a=x:" + "y".repeat(70_000) + "\r\n"))
                .isInstanceOf(SdpParseException.class).hasMessageContaining("longer than 65536");
        StringBuilder many = new StringBuilder(head);
        for (int i = 0; i < 65; i++) {
            many.append("m=audio 9 RTP/AVP 0\r\n");
        }
        assertThatThrownBy(() -> SdpParser.parse(many.toString()))
                .isInstanceOf(SdpParseException.class).hasMessageContaining("more than 64 m= sections");
        SdpParser strict = new SdpParser(new SdpLimits(65536, 4096, 4096, 64, 3));
        assertThatThrownBy(() -> strict.read(head + "a=a\r\na=b\r\na=c\r\na=d\r\n"))
                .isInstanceOf(SdpParseException.class).hasMessageContaining("line 8: more than 3 attributes");
        SdpParser fewLines = new SdpParser(new SdpLimits(65536, 5, 4096, 64, 64));
        assertThatThrownBy(() -> fewLines.read(head + "a=a\r\na=b\r\n"))
                .isInstanceOf(SdpParseException.class).hasMessageContaining("line 6: more than 5 lines");
        assertThatThrownBy(() -> SdpParser.parse(head + "a=x:" + "y".repeat(5000) + "\r\n"))
                .isInstanceOf(SdpParseException.class).hasMessageContaining("line 5: line longer than 4096");
        assertThatThrownBy(() -> SdpParser.parse("")).isInstanceOf(SdpParseException.class);
        assertThatThrownBy(() -> SdpParser.parse(null)).isInstanceOf(SdpParseException.class);
    }

    /** Feedback and fmtp lines are regrouped per payload type by the writer; their order carries no meaning. */
    static SessionDescription normalized(SessionDescription sdp) {
        SessionDescription.Builder b = sdp.toBuilder();
        b.media.clear();
        for (MediaDescription m : sdp.media()) {
            MediaDescription.Builder mb = m.toBuilder();
            List<RtcpFb> fbs = new ArrayList<>(mb.rtcpFbs);
            fbs.sort(Comparator.comparing(RtcpFb::toString));
            mb.rtcpFbs.clear();
            mb.rtcpFbs.addAll(fbs);
            List<Fmtp> fmtps = new ArrayList<>(mb.fmtps);
            fmtps.sort(Comparator.comparing(Fmtp::toString));
            mb.fmtps.clear();
            mb.fmtps.addAll(fmtps);
            b.media.add(mb.build());
        }
        return b.build();
    }
}
