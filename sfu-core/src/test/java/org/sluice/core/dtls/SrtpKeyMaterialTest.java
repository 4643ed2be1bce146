package org.sluice.core.dtls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sluice.core.dtls.DtlsEndpoint.SrtpKeyMaterial;
import org.sluice.rtp.srtp.SrtpProfile;

/** The RFC 5764 §4.2 split: client_write_key | server_write_key | client_write_salt | server_write_salt. */
class SrtpKeyMaterialTest {

    private static byte[] counting(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }

    private static byte[] range(int from, int length) {
        return Arrays.copyOfRange(counting(from + length), from, from + length);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void splitsExporterOutputForBothRoles(SrtpProfile profile) {
        int k = profile.masterKeyLength();
        int s = profile.masterSaltLength();
        byte[] material = counting(2 * (k + s));

        SrtpKeyMaterial client = SrtpKeyMaterial.fromExporter(profile, DtlsRole.CLIENT, material);
        SrtpKeyMaterial server = SrtpKeyMaterial.fromExporter(profile, DtlsRole.SERVER, material);

        assertThat(client.localMasterKey()).isEqualTo(range(0, k));
        assertThat(client.remoteMasterKey()).isEqualTo(range(k, k));
        assertThat(client.localMasterSalt()).isEqualTo(range(2 * k, s));
        assertThat(client.remoteMasterSalt()).isEqualTo(range(2 * k + s, s));
        assertThat(server.localMasterKey()).isEqualTo(client.remoteMasterKey());
        assertThat(server.remoteMasterKey()).isEqualTo(client.localMasterKey());
        assertThat(server.localMasterSalt()).isEqualTo(client.remoteMasterSalt());
        assertThat(server.remoteMasterSalt()).isEqualTo(client.localMasterSalt());
        assertThat(client.profile()).isEqualTo(profile);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rejectsWrongLengthsAndNeverPrintsKeys(SrtpProfile profile) {
        int total = 2 * (profile.masterKeyLength() + profile.masterSaltLength());
        assertThatThrownBy(() -> SrtpKeyMaterial.fromExporter(profile, DtlsRole.CLIENT, new byte[total - 1]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SrtpKeyMaterial.fromExporter(profile, DtlsRole.CLIENT, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SrtpKeyMaterial(profile, new byte[1], new byte[profile.masterSaltLength()],
                new byte[profile.masterKeyLength()], new byte[profile.masterSaltLength()]))
                .isInstanceOf(IllegalArgumentException.class);

        byte[] material = new byte[total];
        Arrays.fill(material, (byte) 0xAB);
        assertThat(SrtpKeyMaterial.fromExporter(profile, DtlsRole.SERVER, material).toString())
                .contains(profile.name()).doesNotContain("-85").doesNotContainIgnoringCase("ab,");
    }
}
