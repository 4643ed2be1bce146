package org.sluice.core.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrickleFragmentTest {

    /** The PATCH body of RFC 9725 (WHIP) section 4.3.1, trickle candidates for mid 0. */
    private static final String WHIP_TRICKLE = String.join("\r\n",
            "a=group:BUNDLE 0",
            "m=audio 9 UDP/TLS/RTP/SAVPF 111",
            "a=mid:0",
            "a=ice-ufrag:EsAw",
            "a=ice-pwd:bP+XJMM09aR8AiX1jdukzR6Y",
            "a=candidate:1387637174 1 udp 2122260223 192.0.2.1 61764 typ host generation 0 ufrag EsAw network-id 1",
            "a=candidate:3471623853 1 udp 2122194687 198.51.100.2 61765 typ host generation 0 ufrag EsAw network-id 2",
            "a=candidate:473322822 1 tcp 1518280447 192.0.2.1 9 typ host tcptype active generation 0 ufrag EsAw network-id 1",
            "a=candidate:2154773085 1 tcp 1518214911 198.51.100.2 9 typ host tcptype active generation 0 ufrag EsAw network-id 2",
            "a=end-of-candidates",
            "");

    @Test
    void readsCandidatesOfAWhipPatch() throws Exception {
        TrickleFragment f = TrickleFragmentParser.parse(WHIP_TRICKLE);
        assertThat(f.bundle().mids()).containsExactly("0");
        assertThat(f.sections()).hasSize(1);
        TrickleFragment.Section s = f.sections().get(0);
        assertThat(s.mid()).isEqualTo("0");
        assertThat(s.kind()).isEqualTo("audio");
        assertThat(s.candidates()).hasSize(4);
        assertThat(s.candidates().get(2).extension("tcptype")).isEqualTo("active");
        assertThat(s.endOfCandidates()).isTrue();
        assertThat(f.anyEndOfCandidates()).isTrue();
        assertThat(f.effectiveIceUfrag()).isEqualTo("EsAw");
        assertThat(f.effectiveIcePwd()).isEqualTo("bP+XJMM09aR8AiX1jdukzR6Y");
        assertThat(f.isIceRestart("EsAw")).isFalse();
        assertThat(f.isIceRestart("Old1")).isTrue();
        assertThat(f.allCandidates()).hasSize(4);
    }

    @Test
    void readsSessionLevelCredentialsAndRoundTrips() throws Exception {
        String text = "a=ice-options:trickle ice2\r\na=ice-ufrag:ZZ12\r\na=ice-pwd:abcdefghijklmnopqrstuv\r\n"
                + "a=group:BUNDLE 0 1\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:0\r\n"
                + "a=candidate:1 1 udp 2130706431 203.0.113.1 40000 typ host\r\n"
                + "m=video 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:1\r\na=end-of-candidates\r\n";
        TrickleFragment f = TrickleFragmentParser.parse(text);
        assertThat(f.iceUfrag()).isEqualTo("ZZ12");
        assertThat(f.iceOptions()).containsExactly("trickle", "ice2");
        assertThat(f.sections()).extracting(TrickleFragment.Section::mid).containsExactly("0", "1");
        assertThat(f.sections().get(1).endOfCandidates()).isTrue();
        assertThat(TrickleFragmentParser.parse(f.write())).isEqualTo(f);
        assertThat(f.write()).isEqualTo("a=ice-options:trickle ice2\r\na=group:BUNDLE 0 1\r\na=ice-ufrag:ZZ12\r\n"
                + "a=ice-pwd:abcdefghijklmnopqrstuv\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:0\r\n"
                + "a=candidate:1 1 udp 2130706431 203.0.113.1 40000 typ host\r\n"
                + "m=video 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:1\r\na=end-of-candidates\r\n");
    }

    @Test
    void writesAnIceRestartAnswer() throws Exception {
        Candidate host = Candidate.parse("candidate:1 1 udp 2130706431 198.51.100.1 39132 typ host");
        TrickleFragment answer = TrickleFragment.iceRestartAnswer("289b31b754eaa438",
                "0b66f472495ef0ccac7bda653ab6be49ea13114472a5d10a", true, List.of("0", "1"),
                List.of("audio", "video"), List.of(host));
        String text = answer.write();
        assertThat(text).isEqualTo(String.join("\r\n",
                "a=ice-lite",
                "a=ice-options:trickle ice2",
                "a=group:BUNDLE 0 1",
                "m=audio 9 UDP/TLS/RTP/SAVPF 0",
                "a=mid:0",
                "a=ice-ufrag:289b31b754eaa438",
                "a=ice-pwd:0b66f472495ef0ccac7bda653ab6be49ea13114472a5d10a",
                "a=candidate:1 1 udp 2130706431 198.51.100.1 39132 typ host",
                "a=end-of-candidates",
                "m=video 9 UDP/TLS/RTP/SAVPF 0",
                "a=mid:1",
                "a=ice-ufrag:289b31b754eaa438",
                "a=ice-pwd:0b66f472495ef0ccac7bda653ab6be49ea13114472a5d10a",
                ""));
        TrickleFragment back = TrickleFragmentParser.parse(text);
        assertThat(back).isEqualTo(answer);
        assertThat(back.isIceRestart("EsAw")).isTrue();
    }

    @Test
    void rejectsWhatIsNotAFragment() {
        assertThatThrownBy(() -> TrickleFragmentParser.parse("v=0\r\n"))
                .isInstanceOf(SdpParseException.class).hasMessageContaining("line 1: a trickle fragment holds only");
        assertThatThrownBy(() -> TrickleFragmentParser.parse("a=candidate:1 1 udp 1 1.2.3.4 5 typ host\r\n"))
                .isInstanceOf(SdpParseException.class).hasMessageContaining("outside an m= section");
        assertThatThrownBy(() -> TrickleFragmentParser.parse("m=audio 9\r\n"))
                .isInstanceOf(SdpParseException.class).hasMessageContaining("line 1: m= needs");
        assertThatThrownBy(() -> TrickleFragmentParser.parse(
                "m=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:0\r\na=candidate:1 1 udp x 1.2.3.4 5 typ host\r\n"))
                .isInstanceOf(SdpParseException.class).hasMessageContaining("line 3: a=candidate priority");
        assertThatThrownBy(() -> TrickleFragmentParser.parse(""))
                .isInstanceOf(SdpParseException.class);
    }
}
