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
        assertThat(open.checkAdmin(null).allowed()).isTrue();
        assertThat(open.tokenIssuer()).isEmpty();
    }

    @Test
    void adminNeedsAValidTokenWithTheAdminClaim() {
        AccessDecision none = access.checkAdmin(null);
        assertThat(none.allowed()).isFalse();
        assertThat(none.forbidden()).isFalse();
        assertThat(none.reason()).isEqualTo("missing bearer token");
        AccessDecision garbage = access.checkAdmin("Bearer x.y.z");
        assertThat(garbage.allowed()).isFalse();
        assertThat(garbage.forbidden()).isFalse();
        String everythingButAdmin = "Bearer " + issuer.issue(new Grant("*", true, true), Duration.ofMinutes(1));
        AccessDecision notAdmin = access.checkAdmin(everythingButAdmin);
        assertThat(notAdmin.allowed()).isFalse();
        assertThat(notAdmin.forbidden()).isTrue();
        assertThat(notAdmin.reason()).isEqualTo("token does not grant admin access");
        String admin = "Bearer " + issuer.issue(Grant.adminOnly(), Duration.ofMinutes(1));
        assertThat(access.checkAdmin(admin).allowed()).isTrue();
        assertThat(access.check(admin, Action.PUBLISH, "a").allowed()).isFalse();
    }

    @Test
    void withASecretTokensAreIssuedThatItAccepts() {
        String minted = access.tokenIssuer().orElseThrow().issue(new Grant("a", true, false), Duration.ofMinutes(1));
        assertThat(access.check("Bearer " + minted, Action.PUBLISH, "a").allowed()).isTrue();
    }

    @Test
    void accessControlsThatKnowNothingOfAdminRefuseIt() {
        AccessControl custom = (header, action, room) -> AccessDecision.ALLOWED;
        assertThat(custom.checkAdmin("Bearer anything").allowed()).isFalse();
        assertThat(custom.checkAdmin("Bearer anything").forbidden()).isTrue();
        assertThat(custom.tokenIssuer()).isEmpty();
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
