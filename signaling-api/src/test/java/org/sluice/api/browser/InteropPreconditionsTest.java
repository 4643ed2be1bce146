package org.sluice.api.browser;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class InteropPreconditionsTest {

    @Test
    void isolatedWithChromiumGoesOn() {
        assertThatCode(() -> InteropPreconditions.check(true, List.of(), true)).doesNotThrowAnyException();
    }

    @Test
    void notIsolatedSkipsLocallyAndFailsUnderCi() {
        assertThatThrownBy(() -> InteropPreconditions.check(true, List.of("eth0"), false))
                .isInstanceOf(TestAbortedException.class).hasMessageContaining("[eth0]");
        assertThatThrownBy(() -> InteropPreconditions.check(true, List.of("eth0"), true))
                .isInstanceOf(AssertionFailedError.class).hasMessageContaining("CI=true");
    }

    @Test
    void missingChromiumSkipsLocallyAndFailsUnderCi() {
        assertThatThrownBy(() -> InteropPreconditions.check(false, List.of(), false))
                .isInstanceOf(TestAbortedException.class).hasMessageContaining("apt-get install -y chromium");
        assertThatThrownBy(() -> InteropPreconditions.check(false, List.of(), true))
                .isInstanceOf(AssertionFailedError.class).hasMessageContaining("Chromium is not installed");
    }
}
