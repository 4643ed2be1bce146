package org.sluice.core.ice;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalCandidateTest {

    @Test
    void priorityFormula() {
        // RFC 8445 §5.1.2.1: host, single address, component 1 gives the familiar 2130706431.
        assertThat(CandidatePriority.priority(126, 65535, 1)).isEqualTo(2_130_706_431L);
        assertThat(CandidatePriority.priority(0, 0, 256)).isZero();
        assertThat(CandidatePriority.tcpLocalPreference(4, 8191)).isEqualTo(40959);
        assertThat(CandidatePriority.tcpLocalPreference(6, 0)).isEqualTo(6 << 13);
        assertThatThrownBy(() -> CandidatePriority.priority(127, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CandidatePriority.tcpLocalPreference(8, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void udpHostCandidateText() throws Exception {
        LocalCandidate c = LocalCandidate.udpHost(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 5000), 65535);
        assertThat(c.priority()).isEqualTo(2_130_706_431L);
        assertThat(c.transport()).isEqualTo(TransportKind.UDP);
        assertThat(c.component()).isEqualTo(1);
        assertThat(c.toSdpAttribute())
                .isEqualTo("candidate:" + c.foundation() + " 1 udp 2130706431 192.0.2.1 5000 typ host");
        assertThat(IceCredentials.isIceChars(c.foundation(), 1, 32)).isTrue();
    }

    @Test
    void tcpPassiveCandidateText() throws Exception {
        LocalCandidate c = LocalCandidate.tcpPassiveHost(
                new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 443), 8191);
        // 2^24 * 126 + 2^8 * (2^13 * 4 + 8191) + 255
        assertThat(c.priority()).isEqualTo(2_124_414_975L);
        assertThat(c.tcpType()).isEqualTo(TcpType.PASSIVE);
        assertThat(c.toSdpAttribute())
                .isEqualTo("candidate:" + c.foundation() + " 1 tcp 2124414975 192.0.2.1 443 typ host tcptype passive");
    }

    @Test
    void hostsOrdersAddressesAndSeparatesFoundations() throws Exception {
        List<LocalCandidate> list = LocalCandidate.hosts(
                List.of(InetAddress.getByName("192.0.2.1"), InetAddress.getByName("fe80::1%1")), 10000, 10001);
        assertThat(list).hasSize(4);
        assertThat(list).extracting(LocalCandidate::transport)
                .containsExactly(TransportKind.UDP, TransportKind.TCP, TransportKind.UDP, TransportKind.TCP);
        assertThat(list.get(0).priority()).isGreaterThan(list.get(2).priority());
        assertThat(list.get(0).priority()).isGreaterThan(list.get(1).priority());
        assertThat(list.get(1).priority()).isGreaterThan(list.get(3).priority());
        assertThat(list).extracting(LocalCandidate::foundation).doesNotHaveDuplicates();
        assertThat(list.get(2).toSdpAttribute()).contains(" fe80:0:0:0:0:0:0:1 10000 typ host").doesNotContain("%");
        assertThat(LocalCandidate.hosts(List.of(InetAddress.getByName("192.0.2.1")), 10000, 0)).hasSize(1);
        // Foundations are stable: same address and transport, same foundation.
        assertThat(LocalCandidate.udpHost(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 1), 1).foundation())
                .isEqualTo(list.get(0).foundation());
    }

    @Test
    void localCandidatesParseBack() throws Exception {
        for (LocalCandidate c : LocalCandidate.hosts(
                List.of(InetAddress.getByName("192.0.2.1"), InetAddress.getByName("2001:db8::7")), 3478, 443)) {
            CandidateParseResult parsed = RemoteCandidateParser.parse(c.toSdpAttribute());
            assertThat(parsed.isAccepted()).as(parsed.rejectReason()).isTrue();
            RemoteCandidate r = parsed.candidate();
            assertThat(r.foundation()).isEqualTo(c.foundation());
            assertThat(r.priority()).isEqualTo(c.priority());
            assertThat(r.transport()).isEqualTo(c.transport());
            assertThat(r.port()).isEqualTo(c.address().getPort());
            assertThat(InetAddress.getByName(r.address())).isEqualTo(c.address().getAddress());
            assertThat(r.tcpType()).isEqualTo(c.tcpType());
            assertThat(r.type()).isEqualTo(CandidateType.HOST);
        }
    }
}
