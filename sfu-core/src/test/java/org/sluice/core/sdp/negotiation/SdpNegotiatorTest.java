package org.sluice.core.sdp.negotiation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.sluice.core.sdp.Direction;
import org.sluice.core.sdp.Fingerprint;
import org.sluice.core.sdp.Fixtures;
import org.sluice.core.sdp.RtcpFb;
import org.sluice.core.sdp.Fmtp;
import org.sluice.core.sdp.MediaDescription;
import org.sluice.core.sdp.Msid;
import org.sluice.core.sdp.Rid;
import org.sluice.core.sdp.RtpMap;
import org.sluice.core.sdp.SdpParser;
import org.sluice.core.sdp.SessionDescription;
import org.sluice.core.sdp.Setup;
import org.sluice.core.sdp.SsrcAttribute;
import org.sluice.core.sdp.SsrcGroup;
import org.sluice.core.session.OfferRejectedException;
import org.sluice.core.session.OfferRejectedException.Reason;

class SdpNegotiatorTest {

    static final List<String> FIXTURES = Fixtures.ALL;

    private static final String MID = "urn:ietf:params:rtp-hdrext:sdes:mid";
    private static final String RID = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
    private static final String RRID = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";
    private static final String AUDIO_LEVEL = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
    private static final String ABS_SEND_TIME = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
    private static final String TWCC = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
    private static final String DD =
            "https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension";

    private static final Fingerprint OUR_FINGERPRINT = new Fingerprint("sha-256",
            "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99");
    private static final String HOST = "candidate:1 1 udp 2130706431 127.0.0.1 40000 typ host";
    private static final String TCP = "candidate:2 1 tcp 1518280447 127.0.0.1 40001 typ host tcptype passive";

    private static final OutboundTrack AUDIO_TRACK =
            new OutboundTrack("audio", "sluice-stream", "sluice-audio", 1111, -1, "sluicecname");
    private static final OutboundTrack VIDEO_TRACK =
            new OutboundTrack("video", "sluice-stream", "sluice-video", 2222, 3333, "sluicecname");

    private final SdpNegotiator negotiator = new SdpNegotiator(local().build());

    private static LocalCapabilities.Builder local() {
        return LocalCapabilities.builder("sluiceUfrag", "sluicePasswordOf24Chars0", OUR_FINGERPRINT)
                .candidates(List.of(HOST, TCP)).originSessionId(4242);
    }

    @ParameterizedTest
    @FieldSource("FIXTURES")
    void everyAnswerIsWellFormedAndConsistentWithItsOffer(String name) throws Exception {
        String offerText = Fixtures.load(name);
        SessionDescription offer = SdpParser.parse(offerText);
        NegotiatedSession session = negotiator.negotiate(offerText,
                AnswerPolicy.sending(List.of(AUDIO_TRACK, VIDEO_TRACK), Direction.SENDRECV));
        SessionDescription answer = SdpParser.parse(session.answerSdp());
        assertThat(answer).isEqualTo(session.answer());

        // m-sections in the offer's order, same mids and kinds
        assertThat(answer.media()).hasSameSizeAs(offer.media());
        for (int i = 0; i < offer.media().size(); i++) {
            assertThat(answer.media().get(i).mid()).isEqualTo(offer.media().get(i).mid());
            assertThat(answer.media().get(i).kind()).isEqualTo(offer.media().get(i).kind());
        }
        // BUNDLE covers exactly the accepted sections
        List<String> accepted = answer.media().stream().filter(m -> m.port() != 0).map(MediaDescription::mid)
                .toList();
        assertThat(answer.group("BUNDLE").mids()).containsExactlyElementsOf(accepted).isNotEmpty();
        assertThat(session.acceptedMids()).containsExactlyElementsOf(accepted);
        assertThat(answer.iceLite()).isTrue();
        assertThat(session.dtlsRole()).isEqualTo(DtlsRole.SERVER);
        assertThat(session.remoteIceUfrag()).isNotNull();
        assertThat(session.remoteFingerprint().algorithm()).isEqualTo("sha-256");

        boolean first = true;
        for (int i = 0; i < answer.media().size(); i++) {
            MediaDescription a = answer.media().get(i);
            MediaDescription o = offer.media().get(i);
            NegotiatedMedia nm = session.media().get(i);
            if (a.port() == 0) {
                assertThat(nm.rejected()).isTrue();
                continue;
            }
            assertThat(a.setup()).isEqualTo(Setup.PASSIVE);
            assertThat(a.iceUfrag()).isEqualTo("sluiceUfrag");
            assertThat(a.fingerprints()).containsExactly(OUR_FINGERPRINT);
            assertThat(a.rtcpMux()).isTrue();
            assertThat(a.candidates()).hasSize(first ? 2 : 0);
            assertThat(a.endOfCandidates()).isEqualTo(first);
            first = false;
            // every answered payload type is offered with the same rtpmap
            for (String format : a.formats()) {
                int pt = Integer.parseInt(format);
                assertThat(o.formats()).contains(format);
                assertThat(a.rtpMap(pt)).isEqualTo(o.rtpMap(pt));
            }
            // RTX points at an answered codec, the one the offer paired it with
            for (RtpMap m : a.rtpMaps()) {
                if (m.encodingName().equalsIgnoreCase("rtx")) {
                    String apt = Fmtp.parse(a.fmtp(Integer.toString(m.payloadType()))).get("apt");
                    assertThat(a.formats()).contains(apt);
                    assertThat(o.fmtp(Integer.toString(m.payloadType()))).contains("apt=" + apt);
                }
            }
            // feedback is a subset of what the offer has for that payload type
            a.rtcpFbs().forEach(fb -> assertThat(o.rtcpFbs(fb.format())).anyMatch(
                    ofb -> ofb.feedback().equals(fb.feedback())));
            // header extension ids are the offer's
            a.extmaps().forEach(e -> assertThat(o.extmaps()).anyMatch(
                    oe -> oe.id() == e.id() && oe.uri().equals(e.uri())));
            assertThat(nm.direction()).isEqualTo(a.direction());
            assertThat(a.direction()).isEqualTo(expectedDirection(o.effectiveDirection()));
        }
    }

    private static Direction expectedDirection(Direction offered) {
        return switch (offered) {
            case SENDONLY -> Direction.RECVONLY;
            case RECVONLY -> Direction.SENDONLY;
            case SENDRECV -> Direction.SENDRECV;
            case INACTIVE -> Direction.INACTIVE;
        };
    }

    /** libwebrtc's rrtr feedback (RFC 3611 receiver reference time, not offered by default) is answered where offered. */
    @Test
    void rrtrFeedbackIsAnsweredForTheCodecsThatOfferIt() throws Exception {
        String offer = Fixtures.load("chromium-sendonly.sdp")
                .replace("a=rtcp-fb:96 nack pli\r\n", "a=rtcp-fb:96 nack pli\r\na=rtcp-fb:96 rrtr\r\n");
        assertThat(offer).contains("a=rtcp-fb:96 rrtr");
        NegotiatedSession s = negotiator.negotiate(offer, AnswerPolicy.receiveOnly());
        NegotiatedMedia video = s.media().get(1);
        assertThat(video.codec(96).feedback()).contains("rrtr");
        assertThat(video.codec(102).feedback()).doesNotContain("rrtr");
        assertThat(s.answer().media().get(1).rtcpFbs("96")).extracting(RtcpFb::feedback).contains("rrtr");
        assertThat(s.answer().media().get(1).rtcpFbs("102")).extracting(RtcpFb::feedback).doesNotContain("rrtr");
    }

    @Test
    void whipPublisherOfChromium() throws Exception {
        String offer = Fixtures.load("chromium-sendonly.sdp");
        NegotiatedSession s = negotiator.negotiate(offer, AnswerPolicy.receiveOnly());
        assertThat(s.acceptedMids()).containsExactly("0", "1");
        NegotiatedMedia audio = s.media().get(0);
        assertThat(audio.direction()).isEqualTo(Direction.RECVONLY);
        assertThat(audio.codecs()).containsExactly(new NegotiatedCodec("opus", 111, 48000, 2,
                "minptime=10;useinbandfec=1", -1, List.of("transport-cc")));
        assertThat(audio.extensionIds()).isEqualTo(Map.of(AUDIO_LEVEL, 1, ABS_SEND_TIME, 2, TWCC, 3, MID, 4));
        assertThat(audio.remoteSsrcs()).hasSize(1);
        assertThat(audio.remoteCname()).isNotNull();
        assertThat(audio.remoteMsid()).isNotNull();

        NegotiatedMedia video = s.media().get(1);
        assertThat(video.direction()).isEqualTo(Direction.RECVONLY);
        // offer order, H.264 only with packetization-mode=1, VP9 only profile 0, no RED/ULPFEC
        assertThat(video.codecs()).extracting(NegotiatedCodec::payloadType).containsExactly(96, 102, 108, 116, 45, 98);
        assertThat(video.codecs()).extracting(NegotiatedCodec::rtxPayloadType)
                .containsExactly(97, 103, 109, 117, 46, 99);
        assertThat(video.codec(96).feedback())
                .containsExactly("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli");
        assertThat(video.codec(108).fmtp())
                .isEqualTo("level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f");
        assertThat(video.codec(102).fmtp())
                .isEqualTo("level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f");
        assertThat(video.codec(116).fmtp())
                .isEqualTo("level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=4d001f");
        assertThat(video.codec(98).fmtp()).isEqualTo("profile-id=0");
        assertThat(video.codec(45).fmtp()).isEqualTo("level-idx=5;profile=0;tier=0");
        // this Chromium offers the dependency descriptor only with simulcast
        assertThat(video.extensionIds()).isEqualTo(Map.of(ABS_SEND_TIME, 2, TWCC, 3, MID, 4, RID, 10, RRID, 11));
        assertThat(video.remoteSsrcGroups()).extracting(SsrcGroup::semantics).containsExactly("FID");
        assertThat(video.rids()).isEmpty();
        assertThat(video.simulcast()).isNull();

        MediaDescription answerVideo = s.answer().media().get(1);
        assertThat(answerVideo.formats()).containsExactly("96", "97", "102", "103", "108", "109", "116", "117", "45",
                "46", "98", "99");
        assertThat(answerVideo.fmtp("97")).isEqualTo("apt=96");
        assertThat(answerVideo.ssrcs()).isEmpty();
        assertThat(answerVideo.msids()).isEmpty();
        assertThat(s.remoteCandidates()).hasSize(2);
        assertThat(s.remoteCandidates().get(0).address()).isEqualTo("127.0.0.1");
        assertThat(s.extmapAllowMixed()).isTrue();
        assertThat(s.answer().extmapAllowMixed()).isTrue();
        String text = s.answerSdp();
        assertThat(text).startsWith("v=0\r\no=- 4242 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\n"
                + "a=ice-lite\r\n");
        assertThat(text).contains("a=candidate:1 1 udp 2130706431 127.0.0.1 40000 typ host\r\n");
    }

    @Test
    void simulcastOfferIsMirroredAsRecv() throws Exception {
        NegotiatedSession s = negotiator.negotiate(Fixtures.load("chromium-simulcast-sendonly.sdp"),
                AnswerPolicy.receiveOnly());
        MediaDescription video = s.answer().media().get(1);
        assertThat(video.rids()).containsExactly(new Rid("q", Rid.RidDirection.RECV, null),
                new Rid("h", Rid.RidDirection.RECV, null), new Rid("f", Rid.RidDirection.RECV, null));
        assertThat(video.simulcast().toString()).isEqualTo("recv q;h;f");
        assertThat(s.answerSdp()).contains("a=rid:q recv\r\na=rid:h recv\r\na=rid:f recv\r\na=simulcast:recv q;h;f\r\n");
        NegotiatedMedia nm = s.media().get(1);
        assertThat(nm.rids()).extracting(Rid::id).containsExactly("q", "h", "f");
        assertThat(nm.simulcast().send()).hasSize(3);
        assertThat(nm.extensionId(RID)).isEqualTo(10);
        assertThat(nm.extensionId(RRID)).isEqualTo(11);
        assertThat(nm.extensionId(DD)).isEqualTo(12);
        assertThat(s.media().get(0).rids()).isEmpty();
    }

    @Test
    void firefoxSimulcastAndDataChannel() throws Exception {
        NegotiatedSession s = negotiator.negotiate(Fixtures.load("firefox-simulcast-sendonly.sdp"),
                AnswerPolicy.receiveOnly());
        assertThat(s.acceptedMids()).containsExactly("0", "1");
        assertThat(s.remoteIceUfrag()).isEqualTo("14dc37e7");
        assertThat(s.remoteFingerprint().value()).startsWith("5B:1E");
        NegotiatedMedia audio = s.media().get(0);
        assertThat(audio.codecs()).extracting(NegotiatedCodec::payloadType).containsExactly(109);
        assertThat(audio.codec(109).fmtp()).isEqualTo("minptime=10;useinbandfec=1");
        assertThat(audio.extensionIds()).isEqualTo(Map.of(AUDIO_LEVEL, 1, MID, 3));
        assertThat(audio.remoteMsid()).isEqualTo(new Msid("{c537f11b-6e61-0346-a4b1-95392ba94d70}",
                "{6367c7c1-d3be-9543-a66a-337c2f394f42}"));
        NegotiatedMedia video = s.media().get(1);
        assertThat(video.codecs()).extracting(NegotiatedCodec::payloadType).containsExactly(120, 121, 126);
        assertThat(video.codecs()).extracting(NegotiatedCodec::rtxPayloadType).containsExactly(124, 125, 127);
        assertThat(video.extensionIds()).isEqualTo(Map.of(MID, 3, ABS_SEND_TIME, 4, TWCC, 7, RID, 8, RRID, 9));
        assertThat(video.remoteSsrcGroups()).hasSize(3);
        assertThat(video.remoteSsrcs()).hasSize(6);
        assertThat(s.answer().media().get(1).simulcast().toString()).isEqualTo("recv q;h;f");
        MediaDescription data = s.answer().media().get(2);
        assertThat(data.port()).isZero();
        assertThat(data.kind()).isEqualTo("application");
        assertThat(data.formats()).containsExactly("webrtc-datachannel");
        assertThat(data.mid()).isEqualTo("2");
        assertThat(s.media().get(2).rejected()).isTrue();
    }

    @Test
    void dataChannelSectionIsAcceptedInTheBundleWhenThePolicyTakesDataChannels() throws Exception {
        AnswerPolicy dataChannels = new AnswerPolicy() {
            @Override
            public boolean acceptsDataChannels() {
                return true;
            }
        };
        NegotiatedSession s = negotiator.negotiate(Fixtures.load("firefox-simulcast-sendonly.sdp"), dataChannels);
        assertThat(s.acceptedMids()).containsExactly("0", "1", "2");
        MediaDescription data = s.answer().media().get(2);
        assertThat(data.port()).isEqualTo(9);
        assertThat(data.proto()).isEqualTo("UDP/DTLS/SCTP");
        assertThat(data.formats()).containsExactly("webrtc-datachannel");
        assertThat(data.mid()).isEqualTo("2");
        assertThat(data.setup()).isEqualTo(org.sluice.core.sdp.Setup.PASSIVE);
        assertThat(data.fingerprints()).containsExactly(OUR_FINGERPRINT);
        assertThat(data.otherAttributes()).extracting(org.sluice.core.sdp.Attribute::text)
                .contains("sctp-port:5000", "max-message-size:262144");
        assertThat(s.answer().groups().get(0).mids()).containsExactly("0", "1", "2");
        assertThat(s.media().get(2).rejected()).isFalse();
        assertThat(s.media().get(2).kind()).isEqualTo("application");
        String sdp = s.answerSdp();
        assertThat(sdp).contains("m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n")
                .contains("a=sctp-port:5000\r\n").contains("a=max-message-size:262144\r\n");
        // Another SCTP port than 5000 is not answered.
        NegotiatedSession other = negotiator.negotiate(Fixtures.load("firefox-simulcast-sendonly.sdp")
                .replace("a=sctp-port:5000", "a=sctp-port:5001"), dataChannels);
        assertThat(other.media().get(2).rejected()).isTrue();
    }

    @Test
    void safariVideoFirstWithConstrainedHighSkipped() throws Exception {
        NegotiatedSession s = negotiator.negotiate(Fixtures.load("safari-sendrecv-datachannel.sdp"),
                AnswerPolicy.receiveOnly());
        NegotiatedMedia video = s.media().get(0);
        assertThat(video.kind()).isEqualTo("video");
        assertThat(video.direction()).isEqualTo(Direction.RECVONLY);
        assertThat(video.codecs()).extracting(NegotiatedCodec::payloadType).containsExactly(98, 100);
        assertThat(video.codecs()).extracting(NegotiatedCodec::rtxPayloadType).containsExactly(99, 101);
        assertThat(s.media().get(1).codecs()).extracting(NegotiatedCodec::name).containsExactly("opus");
        assertThat(s.media().get(2).rejected()).isTrue();
        assertThat(s.remoteCandidates()).hasSize(1);
        assertThat(s.remoteCandidates().get(0).address()).endsWith(".local");
        assertThat(s.acceptedMids()).containsExactly("0", "1");
    }

    @Test
    void safariWhepViewerKeepsItsH264FirstOrderAndGetsOurTracks() throws Exception {
        NegotiatedSession s = negotiator.negotiate(Fixtures.load("safari-recvonly.sdp"),
                AnswerPolicy.sending(List.of(VIDEO_TRACK, AUDIO_TRACK), Direction.SENDRECV));
        MediaDescription video = s.answer().media().get(0);
        assertThat(video.kind()).isEqualTo("video");
        assertThat(video.direction()).isEqualTo(Direction.SENDONLY);
        // Safari's order, H.264 Constrained Baseline (98) before VP8 (100); Constrained High (96) is not ours.
        assertThat(s.media().get(0).codecs()).extracting(NegotiatedCodec::name).containsExactly("H264", "VP8");
        assertThat(s.media().get(0).codecs()).extracting(NegotiatedCodec::payloadType).containsExactly(98, 100);
        assertThat(s.media().get(0).codecs()).extracting(NegotiatedCodec::rtxPayloadType).containsExactly(99, 101);
        assertThat(video.ssrcGroups()).containsExactly(new SsrcGroup("FID", List.of(2222L, 3333L)));
        assertThat(s.media().get(0).outboundTrack()).isEqualTo(VIDEO_TRACK);
        MediaDescription audio = s.answer().media().get(1);
        assertThat(audio.direction()).isEqualTo(Direction.SENDONLY);
        assertThat(s.media().get(1).codecs()).extracting(NegotiatedCodec::name).containsExactly("opus");
        assertThat(s.media().get(1).outboundTrack()).isEqualTo(AUDIO_TRACK);
        assertThat(s.remoteCandidates()).hasSize(1);
        assertThat(s.remoteCandidates().get(0).address()).endsWith(".local");
        assertThat(s.acceptedMids()).containsExactly("0", "1");
    }

    @Test
    void safariSimulcastPublisherIsMirroredAsRecvWithH264First() throws Exception {
        NegotiatedSession s = negotiator.negotiate(Fixtures.load("safari-simulcast-sendonly.sdp"),
                AnswerPolicy.receiveOnly());
        MediaDescription video = s.answer().media().get(1);
        assertThat(video.direction()).isEqualTo(Direction.RECVONLY);
        assertThat(video.rids()).containsExactly(new Rid("q", Rid.RidDirection.RECV, null),
                new Rid("h", Rid.RidDirection.RECV, null), new Rid("f", Rid.RidDirection.RECV, null));
        assertThat(video.simulcast().toString()).isEqualTo("recv q;h;f");
        NegotiatedMedia nm = s.media().get(1);
        assertThat(nm.codecs()).extracting(NegotiatedCodec::payloadType).containsExactly(98, 100);
        assertThat(nm.codecs().get(0).name()).isEqualToIgnoringCase("H264");
        assertThat(nm.rids()).extracting(Rid::id).containsExactly("q", "h", "f");
        // Safari numbers its header extensions its own way: rid 5, repaired rid 6, mid 4.
        assertThat(nm.extensionId(RID)).isEqualTo(5);
        assertThat(nm.extensionId(RRID)).isEqualTo(6);
        assertThat(nm.extensionId(MID)).isEqualTo(4);
        assertThat(s.media().get(0).codecs()).extracting(NegotiatedCodec::name).containsExactly("opus");
        assertThat(s.media().get(0).rids()).isEmpty();
    }

    @Test
    void whepViewerGetsServerTracksWithSsrcLines() throws Exception {
        NegotiatedSession s = negotiator.negotiate(Fixtures.load("chromium-recvonly.sdp"),
                AnswerPolicy.sending(List.of(VIDEO_TRACK, AUDIO_TRACK), Direction.SENDRECV));
        MediaDescription audio = s.answer().media().get(0);
        MediaDescription video = s.answer().media().get(1);
        assertThat(audio.direction()).isEqualTo(Direction.SENDONLY);
        assertThat(video.direction()).isEqualTo(Direction.SENDONLY);
        assertThat(audio.msids()).containsExactly(new Msid("sluice-stream", "sluice-audio"));
        assertThat(audio.ssrcGroups()).isEmpty();
        assertThat(audio.ssrcs()).containsExactly(new SsrcAttribute(1111, "cname", "sluicecname"),
                new SsrcAttribute(1111, "msid", "sluice-stream sluice-audio"));
        assertThat(video.ssrcGroups()).containsExactly(new SsrcGroup("FID", List.of(2222L, 3333L)));
        assertThat(video.ssrcs()).containsExactly(new SsrcAttribute(2222, "cname", "sluicecname"),
                new SsrcAttribute(2222, "msid", "sluice-stream sluice-video"),
                new SsrcAttribute(3333, "cname", "sluicecname"),
                new SsrcAttribute(3333, "msid", "sluice-stream sluice-video"));
        assertThat(s.media().get(1).outboundTrack()).isEqualTo(VIDEO_TRACK);
        assertThat(s.answer().msidSemantic()).isEqualTo(" WMS sluice-stream");
        assertThat(s.answerSdp()).contains("a=ssrc-group:FID 2222 3333\r\na=ssrc:2222 cname:sluicecname\r\n");
    }

    @Test
    void whepViewerWithoutATrackOfThatKindIsInactive() throws Exception {
        NegotiatedSession s = negotiator.negotiate(Fixtures.load("chromium-recvonly.sdp"),
                AnswerPolicy.sending(List.of(VIDEO_TRACK), Direction.SENDRECV));
        assertThat(s.media().get(0).direction()).isEqualTo(Direction.INACTIVE);
        assertThat(s.media().get(1).direction()).isEqualTo(Direction.SENDONLY);
        assertThat(s.answer().media().get(0).ssrcs()).isEmpty();
    }

    @Test
    void sendrecvOfferFollowsThePolicy() throws Exception {
        String offer = Fixtures.load("chromium-sendrecv.sdp");
        NegotiatedSession receiving = negotiator.negotiate(offer, AnswerPolicy.receiveOnly());
        assertThat(receiving.media()).extracting(NegotiatedMedia::direction)
                .containsExactly(Direction.RECVONLY, Direction.RECVONLY);
        NegotiatedSession both = negotiator.negotiate(offer,
                AnswerPolicy.sending(List.of(AUDIO_TRACK, VIDEO_TRACK), Direction.SENDRECV));
        assertThat(both.media()).extracting(NegotiatedMedia::direction)
                .containsExactly(Direction.SENDRECV, Direction.SENDRECV);
        NegotiatedMedia video = both.media().get(1);
        assertThat(video.remoteSsrcs()).hasSize(2);
        assertThat(video.remoteSsrcGroups().get(0).ssrcs()).containsExactlyElementsOf(video.remoteSsrcs());
        assertThat(video.remoteMsid().trackId()).isNotNull();
        AnswerPolicy perMid = new AnswerPolicy() {
            @Override
            public Direction answerToSendRecv(String mid, String kind) {
                return mid.equals("0") ? Direction.INACTIVE : Direction.SENDONLY;
            }

            @Override
            public OutboundTrack outboundTrack(String mid, String kind) {
                return kind.equals("video") ? VIDEO_TRACK : null;
            }
        };
        NegotiatedSession chosen = negotiator.negotiate(offer, perMid);
        assertThat(chosen.media()).extracting(NegotiatedMedia::direction)
                .containsExactly(Direction.INACTIVE, Direction.SENDONLY);
    }

    @Test
    void dtlsRoleFollowsTheOfferedSetup() throws Exception {
        String offer = Fixtures.load("chromium-sendonly.sdp");
        NegotiatedSession active = negotiator.negotiate(offer.replace("a=setup:actpass", "a=setup:active"),
                AnswerPolicy.receiveOnly());
        assertThat(active.dtlsRole()).isEqualTo(DtlsRole.SERVER);
        assertThat(active.answer().media().get(0).setup()).isEqualTo(Setup.PASSIVE);
        NegotiatedSession passive = negotiator.negotiate(offer.replace("a=setup:actpass", "a=setup:passive"),
                AnswerPolicy.receiveOnly());
        assertThat(passive.dtlsRole()).isEqualTo(DtlsRole.CLIENT);
        assertThat(passive.answer().media().get(0).setup()).isEqualTo(Setup.ACTIVE);
        assertRejected(offer.replace("a=setup:actpass", "a=setup:holdconn"), Reason.UNSUPPORTED_OFFER, "holdconn");
    }

    @Test
    void notSdpIsMalformed() {
        assertRejected("hello", Reason.MALFORMED_SDP, "line 1");
        assertRejected("", Reason.MALFORMED_SDP, "empty");
    }

    @Test
    void missingTransportRequirementsAreUnsupported() {
        String offer = Fixtures.load("chromium-sendonly.sdp");
        assertRejected(without(offer, "a=group:BUNDLE"), Reason.UNSUPPORTED_OFFER, "BUNDLE");
        assertRejected(offer.replace("a=group:BUNDLE 0 1", "a=group:BUNDLE 0"), Reason.UNSUPPORTED_OFFER, "BUNDLE");
        assertRejected(without(offer, "a=rtcp-mux"), Reason.UNSUPPORTED_OFFER, "rtcp-mux");
        assertRejected(without(offer, "a=ice-ufrag"), Reason.UNSUPPORTED_OFFER, "ICE");
        assertRejected(without(offer, "a=ice-pwd"), Reason.UNSUPPORTED_OFFER, "ICE");
        assertRejected(without(offer, "a=fingerprint"), Reason.UNSUPPORTED_OFFER, "fingerprint");
        assertRejected(without(offer, "a=mid"), Reason.UNSUPPORTED_OFFER, "mid");
        String dataOnly = String.join("\r\n", "v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0",
                "a=group:BUNDLE 0", "m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "c=IN IP4 0.0.0.0",
                "a=ice-ufrag:abcd", "a=ice-pwd:abcdefghijklmnopqrstuvwx", "a=fingerprint:" + OUR_FINGERPRINT,
                "a=setup:actpass", "a=mid:0", "a=sctp-port:5000", "");
        assertRejected(dataOnly, Reason.UNSUPPORTED_OFFER, "no audio or video");
    }

    @Test
    void noCodecInCommonAnywhereIsNoCommonCodec() {
        SdpNegotiator vp8Only = new SdpNegotiator(local().codecs(List.of(CodecCapability.vp8())).build());
        String audioOnly = String.join("\r\n", "v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0",
                "a=group:BUNDLE 0", "m=audio 9 UDP/TLS/RTP/SAVPF 0 8", "c=IN IP4 0.0.0.0",
                "a=ice-ufrag:abcd", "a=ice-pwd:abcdefghijklmnopqrstuvwx", "a=fingerprint:" + OUR_FINGERPRINT,
                "a=setup:actpass", "a=mid:0", "a=sendonly", "a=rtcp-mux", "a=rtpmap:0 PCMU/8000",
                "a=rtpmap:8 PCMA/8000", "");
        assertThatThrownBy(() -> vp8Only.negotiate(audioOnly, AnswerPolicy.receiveOnly()))
                .isInstanceOfSatisfying(OfferRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.NO_COMMON_CODEC));
        SdpNegotiator constrainedHighOnly = new SdpNegotiator(
                local().codecs(List.of(CodecCapability.h264("640c1f"))).build());
        assertThatThrownBy(() -> constrainedHighOnly.negotiate(Fixtures.load("chromium-sendrecv.sdp"),
                AnswerPolicy.receiveOnly()))
                .isInstanceOfSatisfying(OfferRejectedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.NO_COMMON_CODEC);
                    assertThat(e.getMessage()).contains("no codec in common");
                });
    }

    @Test
    void aSectionWithNothingInCommonIsRejectedWhileOthersProceed() throws Exception {
        SdpNegotiator opusOnly = new SdpNegotiator(local().codecs(List.of(CodecCapability.opus())).build());
        NegotiatedSession s = opusOnly.negotiate(Fixtures.load("chromium-sendonly.sdp"), AnswerPolicy.receiveOnly());
        assertThat(s.acceptedMids()).containsExactly("0");
        MediaDescription video = s.answer().media().get(1);
        assertThat(video.port()).isZero();
        assertThat(video.mid()).isEqualTo("1");
        assertThat(video.formats()).containsExactly("96");
        assertThat(s.answer().group("BUNDLE").mids()).containsExactly("0");
        assertThat(s.media().get(1).rejected()).isTrue();
    }

    @Test
    void bundleOnlySectionsWithPortZeroAreAccepted() throws Exception {
        String offer = Fixtures.load("chromium-sendonly.sdp");
        int video = offer.indexOf("m=video ");
        int portEnd = offer.indexOf(' ', video + 8);
        String maxBundle = offer.substring(0, video) + "m=video 0" + offer.substring(portEnd)
                .replaceFirst("a=mid:1\r\n", "a=mid:1\r\na=bundle-only\r\n");
        assertThat(maxBundle).contains("m=video 0 UDP/TLS/RTP/SAVPF", "a=bundle-only");
        NegotiatedSession s = negotiator.negotiate(maxBundle, AnswerPolicy.receiveOnly());
        assertThat(s.acceptedMids()).containsExactly("0", "1");
        assertThat(s.answer().media().get(1).port()).isEqualTo(9);
    }

    @Test
    void unsupportedExtensionsAreLeftOut() throws Exception {
        SdpNegotiator midOnly = new SdpNegotiator(local().headerExtensions(List.of(MID)).build());
        NegotiatedSession s = midOnly.negotiate(Fixtures.load("chromium-sendonly.sdp"), AnswerPolicy.receiveOnly());
        assertThat(s.media().get(1).extensionIds()).isEqualTo(Map.of(MID, 4));
        assertThat(s.answer().media().get(1).extmaps()).hasSize(1);
    }

    @Test
    void h264WithoutLevelAsymmetryAnswersTheLowerLevel() throws Exception {
        String offer = Fixtures.load("chromium-sendonly.sdp")
                .replace("a=fmtp:108 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f",
                        "a=fmtp:108 packetization-mode=1;profile-level-id=42e00d");
        NegotiatedSession s = negotiator.negotiate(offer, AnswerPolicy.receiveOnly());
        assertThat(s.media().get(1).codec(108).fmtp()).isEqualTo("packetization-mode=1;profile-level-id=42e00d");
    }

    private void assertRejected(String offer, Reason reason, String messagePart) {
        assertThatThrownBy(() -> negotiator.negotiate(offer, AnswerPolicy.receiveOnly()))
                .isInstanceOfSatisfying(OfferRejectedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.getMessage()).contains(messagePart);
                });
    }

    /** The text without the lines starting with {@code prefix}. */
    private static String without(String sdp, String prefix) {
        List<String> lines = new ArrayList<>(Arrays.asList(sdp.split("\r\n")));
        lines.removeIf(l -> l.startsWith(prefix));
        return lines.stream().collect(Collectors.joining("\r\n", "", "\r\n"));
    }
}
