package org.sluice.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BearerTokenAccessTest {

    private static final String SECRET = "access-test-secret-0123456789";
    private final Clock clock = Clock.fixed(Instant.ofEpochSecond(1_750_000_000L), ZoneOffset.UTC);
    private final AccessControl access = AccessControl.forSecret(Optional.of(SECRET), clock);
    private final TokenIssuer issuer = new TokenIssuer(SECRET, clock);

    @Test
    void withoutSecretEverythingIsAllowed() {
        AccessControl open = AccessControl.forSecret(Optional.empty(), clock);
        assertThat(open.check(null, Action.PUBLISH, "r").allowed()).isTrue();
        assertThat(open.check("Bearer garbage", Action.SUBSCRIBE, "r").allowed()).isTrue();
    }

    @Test
    void grantsAreCheckedPerActionAndRoom() {
        String publisher = "Bearer " + issuer.issue(new Grant("a", true, false), Duration.ofMinutes(1));
        assertThat(access.check(publisher, Action.PUBLISH, "a").allowed()).isTrue();
        assertThat(access.check(publisher, Action.SUBSCRIBE, "a").allowed()).isFalse();
        assertThat(access.check(publisher, Action.PUBLISH, "b").allowed()).isFalse();
        String any = "bearer " + issuer.issue(new Grant("*", true, true), Duration.ofMinutes(1));
        assertThat(access.check(any, Action.SUBSCRIBE, "zzz").allowed()).isTrue();
    }

    @Test
    void missingOrNonBearerHeadersAreRefused() {
        assertThat(access.check(null, Action.PUBLISH, "a").reason()).isEqualTo("missing bearer token");
        assertThat(access.check("Basic dXNlcjpwYXNz", Action.PUBLISH, "a").allowed()).isFalse();
        assertThat(access.check("Bearer ", Action.PUBLISH, "a").allowed()).isFalse();
    }
}
