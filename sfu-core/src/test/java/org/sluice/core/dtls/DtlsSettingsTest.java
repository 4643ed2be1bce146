package org.sluice.core.dtls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.sluice.rtp.srtp.SrtpProfile;

class DtlsSettingsTest {

    @Test
    void defaultsMatchWebRtcPractice() {
        DtlsSettings settings = DtlsSettings.defaults();

        assertThat(settings.handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.mtu()).isEqualTo(1200);
        assertThat(settings.srtpProfiles()).containsExactly(SrtpProfile.AEAD_AES_128_GCM,
                SrtpProfile.AEAD_AES_256_GCM, SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        assertThat(settings.initialRetransmitMillis()).isEqualTo(1000);
        assertThat(settings.receiveLimit()).isEqualTo(1500);
        assertThat(settings.withMtu(9000).receiveLimit()).isEqualTo(9000);
    }

    @Test
    void rejectsNonsense() {
        DtlsSettings settings = DtlsSettings.defaults();
        assertThatThrownBy(() -> settings.withHandshakeTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> settings.withMtu(100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> settings.withSrtpProfiles(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> settings.withSrtpProfiles(
                List.of(SrtpProfile.AEAD_AES_128_GCM, SrtpProfile.AEAD_AES_128_GCM)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> settings.withInitialRetransmitMillis(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> settings.withInboundQueueCapacity(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void handshakeExecutorThreadsAreNamedDaemons() throws Exception {
        var executor = DtlsExecutors.newHandshakeExecutor(2, 8);
        try {
            Thread thread = executor.submit(Thread::currentThread).get();
            assertThat(thread.getName()).startsWith("sluice-dtls-");
            assertThat(thread.isDaemon()).isTrue();
        } finally {
            executor.shutdownNow();
        }
        assertThatThrownBy(() -> DtlsExecutors.newHandshakeExecutor(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
