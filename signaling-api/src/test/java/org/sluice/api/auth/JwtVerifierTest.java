package org.sluice.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** HS256 verification against tokens made outside this code base (Python hmac, jwt.io). */
class JwtVerifierTest {

    private static final String SECRET = "sluice-test-secret-0123456789";

    /** {"alg":"HS256","typ":"JWT"} . {"room":"lobby","publish":true,"subscribe":false,"nbf":1700000000,"exp":1700003600} */
    private static final String LOBBY_PUBLISH =
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb29tIjoibG9iYnkiLCJwdWJsaXNoIjp0cnVlLCJzdWJzY3JpYmUiOmZhbHNlLCJuYmYiOjE3MDAwMDAwMDAsImV4cCI6MTcwMDAwMzYwMH0.N6nBPPMeZQIzd2Bp-EZdF6C4fgUygF4t4ozKtIsLUvw";
    /** Same secret, but "alg":"HS512" in the header (signed with HS256 all the same). */
    private static final String HS512_HEADER =
            "eyJhbGciOiJIUzUxMiIsInR5cCI6IkpXVCJ9.eyJyb29tIjoibG9iYnkiLCJwdWJsaXNoIjp0cnVlLCJleHAiOjE3MDAwMDM2MDB9.f2qetPdNT_nyeYAtKrcrbz5C7hBayDWO1AWGXBVn81w";
    /** "alg":"none", empty signature, grants everything. */
    private static final String ALG_NONE =
            "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJyb29tIjoiKiIsInB1Ymxpc2giOnRydWUsInN1YnNjcmliZSI6dHJ1ZSwiZXhwIjoxNzAwMDAzNjAwfQ.";
    /** jwt.io's example token, secret "your-256-bit-secret", no exp and no room. */
    private static final String JWT_IO_EXAMPLE =
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

    /** Made with Python hmac: {"room":"*","admin":true,"exp":1700003600} */
    private static final String ADMIN =
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb29tIjoiKiIsImFkbWluIjp0cnVlLCJleHAiOjE3MDAwMDM2MDB9.psoQhMIarLhFnSM3thW9Y_UTdDFaaj-lwD2b_ofIaec";
    /** Made with Python hmac: {"room":"*","publish":true,"admin":"yes","exp":1700003600} */
    private static final String ADMIN_NOT_BOOLEAN =
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb29tIjoiKiIsInB1Ymxpc2giOnRydWUsImFkbWluIjoieWVzIiwiZXhwIjoxNzAwMDAzNjAwfQ.F2Yp08ScizDi7CNIju-PHlsbGPN_Bk7Fd1SHbA5dfnY";

    private static JwtVerifier at(long epochSecond) {
        return new JwtVerifier(SECRET, Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC),
                Duration.ofSeconds(5));
    }

    @Test
    void acceptsAKnownTokenWithinItsLifetime() {
        TokenCheck check = at(1_700_001_000L).verify(LOBBY_PUBLISH);
        assertThat(check.isValid()).isTrue();
        assertThat(check.grant()).isEqualTo(new Grant("lobby", true, false));
    }

    @Test
    void adminClaimIsReadAndDefaultsToFalse() {
        assertThat(at(1_700_001_000L).verify(ADMIN).grant()).isEqualTo(new Grant("*", false, false, true));
        assertThat(at(1_700_001_000L).verify(LOBBY_PUBLISH).grant().admin()).isFalse();
    }

    @Test
    void adminClaimOfAnotherTypeIsRefused() {
        assertThat(at(1_700_001_000L).verify(ADMIN_NOT_BOOLEAN).rejectReason())
                .isEqualTo("token admin claim is not a boolean");
    }

    @Test
    void issuedAdminTokensRoundTrip() {
        Clock clock = Clock.fixed(Instant.ofEpochSecond(1_800_000_000L), ZoneOffset.UTC);
        TokenIssuer.IssuedToken minted = new TokenIssuer(SECRET, clock).mint(Grant.adminOnly(), Duration.ofSeconds(90), "ops");
        assertThat(minted.expiresAt()).isEqualTo(Instant.ofEpochSecond(1_800_000_090L));
        assertThat(new JwtVerifier(SECRET, clock).verify(minted.token()).grant()).isEqualTo(Grant.adminOnly());
    }

    @Test
    void expiryAndNotBeforeHonourTheLeeway() {
        assertThat(at(1_700_003_605L).verify(LOBBY_PUBLISH).isValid()).isTrue();
        assertThat(at(1_700_003_606L).verify(LOBBY_PUBLISH).rejectReason()).isEqualTo("token has expired");
        assertThat(at(1_699_999_995L).verify(LOBBY_PUBLISH).isValid()).isTrue();
        assertThat(at(1_699_999_994L).verify(LOBBY_PUBLISH).rejectReason()).isEqualTo("token is not valid yet");
    }

    @Test
    void refusesAWrongSecret() {
        JwtVerifier other = new JwtVerifier("another-secret-0123456789", Clock.fixed(
                Instant.ofEpochSecond(1_700_001_000L), ZoneOffset.UTC));
        assertThat(other.verify(LOBBY_PUBLISH).rejectReason()).isEqualTo("token signature is not valid");
    }

    @Test
    void refusesATamperedPayload() {
        String[] parts = LOBBY_PUBLISH.split("\\.");
        String everything = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"room\":\"*\",\"publish\":true,\"subscribe\":true,\"exp\":1700003600}".getBytes());
        assertThat(at(1_700_001_000L).verify(parts[0] + "." + everything + "." + parts[2]).rejectReason())
                .isEqualTo("token signature is not valid");
    }

    @Test
    void refusesOtherAlgorithmsAndNone() {
        assertThat(at(1_700_001_000L).verify(HS512_HEADER).rejectReason()).isEqualTo("token algorithm is not accepted");
        assertThat(at(1_700_001_000L).verify(ALG_NONE).rejectReason()).isEqualTo("token algorithm is not accepted");
    }

    @Test
    void checksTheJwtIoExampleSignatureThenWantsExpiry() {
        JwtVerifier verifier = new JwtVerifier("your-256-bit-secret", Clock.systemUTC());
        assertThat(verifier.verify(JWT_IO_EXAMPLE).rejectReason()).isEqualTo("token has no numeric exp");
        JwtVerifier wrong = new JwtVerifier("not-the-256-bit-secret", Clock.systemUTC());
        assertThat(wrong.verify(JWT_IO_EXAMPLE).rejectReason()).isEqualTo("token signature is not valid");
    }

    @Test
    void issuedTokensRoundTrip() {
        Clock clock = Clock.fixed(Instant.ofEpochSecond(1_800_000_000L), ZoneOffset.UTC);
        String token = new TokenIssuer(SECRET, clock).issue(new Grant("*", false, true), Duration.ofMinutes(5));
        TokenCheck check = new JwtVerifier(SECRET, clock).verify(token);
        assertThat(check.grant()).isEqualTo(new Grant("*", false, true));
        assertThat(check.grant().allows(Action.SUBSCRIBE, "any-room")).isTrue();
        assertThat(check.grant().allows(Action.PUBLISH, "any-room")).isFalse();
    }

    @Test
    void malformedTokensAreRefusedWithoutThrowing() {
        JwtVerifier verifier = at(1_700_001_000L);
        for (String bad : new String[] {"", "abc", "a.b", "a.b.c.d", ".x.y", "!!!.!!!.!!!", "e30.e30.", "W10.e30.",
                "bnVsbA.e30.", "x".repeat(10_000)}) {
            assertThat(verifier.verify(bad).isValid()).as(bad).isFalse();
        }
        assertThat(verifier.verify(null).isValid()).isFalse();
    }

    @Test
    void randomMutationsOfAValidTokenNeverThrowAndAreRefused() {
        SplittableRandom random = new SplittableRandom(7);
        JwtVerifier verifier = at(1_700_001_000L);
        char[] alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ {}\"".toCharArray();
        for (int i = 0; i < 20_000; i++) {
            char[] token = LOBBY_PUBLISH.toCharArray();
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits; e++) {
                token[random.nextInt(token.length)] = alphabet[random.nextInt(alphabet.length)];
            }
            String mutated = new String(token, 0, random.nextInt(token.length + 1));
            TokenCheck check = verifier.verify(mutated);
            if (!mutated.equals(LOBBY_PUBLISH) && check.isValid()) {
                // a mutation that only touched base64 padding bits can still decode identically
                assertThat(check.grant()).isEqualTo(new Grant("lobby", true, false));
            }
        }
    }
}
