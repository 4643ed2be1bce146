package org.sluice.core.sdp.negotiation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.sluice.core.sdp.negotiation.H264ProfileLevelId.Profile;

class H264ProfileLevelIdTest {

    @Test
    void classifiesTheProfilesBrowsersOffer() {
        assertThat(H264ProfileLevelId.parse("42e01f")).isEqualTo(new H264ProfileLevelId(Profile.CONSTRAINED_BASELINE, 31));
        assertThat(H264ProfileLevelId.parse("42c01f").profile()).isEqualTo(Profile.CONSTRAINED_BASELINE);
        assertThat(H264ProfileLevelId.parse("42001f")).isEqualTo(new H264ProfileLevelId(Profile.BASELINE, 31));
        assertThat(H264ProfileLevelId.parse("4d001f")).isEqualTo(new H264ProfileLevelId(Profile.MAIN, 31));
        assertThat(H264ProfileLevelId.parse("4d801f").profile()).isEqualTo(Profile.CONSTRAINED_BASELINE);
        assertThat(H264ProfileLevelId.parse("640c1f")).isEqualTo(new H264ProfileLevelId(Profile.CONSTRAINED_HIGH, 31));
        assertThat(H264ProfileLevelId.parse("640034")).isEqualTo(new H264ProfileLevelId(Profile.HIGH, 52));
        assertThat(H264ProfileLevelId.parse("58a01f").profile()).isEqualTo(Profile.BASELINE);
        assertThat(H264ProfileLevelId.parse("42f00b")).isEqualTo(
                new H264ProfileLevelId(Profile.CONSTRAINED_BASELINE, H264ProfileLevelId.LEVEL_1B));
        assertThat(H264ProfileLevelId.parse(H264ProfileLevelId.DEFAULT)).isEqualTo(
                new H264ProfileLevelId(Profile.BASELINE, 10));
    }

    @Test
    void rejectsUnknownAndMalformed() {
        assertThat(H264ProfileLevelId.parse("42e0")).isNull();
        assertThat(H264ProfileLevelId.parse("zz001f")).isNull();
        assertThat(H264ProfileLevelId.parse("6e001f")).isNull();
        assertThat(H264ProfileLevelId.parse("42011f")).isNull();
        assertThat(H264ProfileLevelId.parse(null)).isNull();
    }

    @Test
    void levelsOrderWith1bBetween1And11() {
        assertThat(H264ProfileLevelId.compareLevels(H264ProfileLevelId.LEVEL_1B, 10)).isPositive();
        assertThat(H264ProfileLevelId.compareLevels(H264ProfileLevelId.LEVEL_1B, 11)).isNegative();
        assertThat(H264ProfileLevelId.compareLevels(31, 13)).isPositive();
    }

    @Test
    void writesCanonicalText() {
        assertThat(new H264ProfileLevelId(Profile.CONSTRAINED_BASELINE, 31).toHex()).isEqualTo("42e01f");
        assertThat(new H264ProfileLevelId(Profile.MAIN, 13).toHex()).isEqualTo("4d000d");
        assertThat(new H264ProfileLevelId(Profile.BASELINE, H264ProfileLevelId.LEVEL_1B).toHex()).isEqualTo("42100b");
    }
}
