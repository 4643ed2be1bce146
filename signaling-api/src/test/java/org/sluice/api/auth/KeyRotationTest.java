package org.sluice.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.config.AuthSettings;

/** RS256 and ES256 from JWKS files and PEM files, named keys, rotation and removal, through vertx-auth-jwt. */
class KeyRotationTest {

    private static final long NOW_SECONDS = 1_790_000_000L;
    private static final Clock NOW = Clock.fixed(Instant.ofEpochSecond(NOW_SECONDS), ZoneOffset.UTC);
    private static final Grant VIEWER = new Grant("stage", false, true);

    private static final JoseTestKeys RSA_1 = JoseTestKeys.rsa("rsa-2026-1");
    private static final JoseTestKeys EC_1 = JoseTestKeys.ec("ec-2026-1");
    private static final JoseTestKeys RSA_2 = JoseTestKeys.rsa("rsa-2026-2");

    @TempDir
    Path dir;

    private static AuthSettings jwks(Path file) {
        return AuthSettings.NONE.withJwksSources(List.of(file.toString()), Duration.ofMinutes(1));
    }

    private static TokenCheck check(Authentication auth, String token) {
        return auth.access().verifyToken(token);
    }

    @Test
    void rs256AndEs256TokensFromAJwksFileAreAccepted() throws Exception {
        Path file = Files.writeString(dir.resolve("jwks.json"), JoseTestKeys.jwks(RSA_1, EC_1));
        Authentication auth = Authentication.load(Optional.empty(), jwks(file), NOW);
        TokenCheck rsa = check(auth, RSA_1.sign(JoseTestKeys.claims(VIEWER, NOW_SECONDS)));
        TokenCheck ec = check(auth, EC_1.sign(JoseTestKeys.claims(VIEWER, NOW_SECONDS)));
        assertThat(rsa.rejectReason()).isNull();
        assertThat(rsa.grant()).isEqualTo(VIEWER);
        assertThat(ec.rejectReason()).isNull();
        assertThat(ec.grant()).isEqualTo(VIEWER);
        assertThat(auth.access().check("Bearer " + EC_1.sign(JoseTestKeys.claims(VIEWER, NOW_SECONDS)),
                Action.PUBLISH, "stage").reason()).isEqualTo("token does not allow publishing in this room");
    }

    @Test
    void aRotatedKeyWorksAndARemovedKeyIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("jwks.json"), JoseTestKeys.jwks(RSA_1, EC_1));
        Authentication auth = Authentication.load(Optional.empty(), jwks(file), NOW);
        String oldToken = RSA_1.sign(JoseTestKeys.claims(VIEWER, NOW_SECONDS));
        String newToken = RSA_2.sign(JoseTestKeys.claims(VIEWER, NOW_SECONDS));
        assertThat(check(auth, oldToken).isValid()).isTrue();
        assertThat(check(auth, newToken).rejectReason()).isEqualTo("token key id is not known");

        Files.writeString(file, JoseTestKeys.jwks(RSA_1, EC_1, RSA_2)); // the new key is published first
        auth.refresher().refreshAll();
        assertThat(check(auth, oldToken).isValid()).isTrue();
        assertThat(check(auth, newToken).isValid()).isTrue();

        Files.writeString(file, JoseTestKeys.jwks(EC_1, RSA_2)); // then the old one is withdrawn
        auth.refresher().refreshAll();
        assertThat(check(auth, newToken).isValid()).isTrue();
        assertThat(check(auth, oldToken).rejectReason()).isEqualTo("token key id is not known");
        // the removed key's token relabelled with a key id still in force fails on its signature
        assertThat(check(auth, RSA_1.sign(JoseTestKeys.claims(VIEWER, NOW_SECONDS), RSA_2.kid)).rejectReason())
                .isEqualTo("token signature is not valid");
        assertThat(auth.refresher().failures()).isZero();
    }

    @Test
    void aJwksThatBreaksKeepsTheLastGoodKeys() throws Exception {
        Path file = Files.writeString(dir.resolve("jwks.json"), JoseTestKeys.jwks(RSA_1));
        Authentication auth = Authentication.load(Optional.empty(), jwks(file), NOW);
        Files.writeString(file, "{\"keys\": [ {\"kty\": \"RSA\"");
        auth.refresher().refreshAll();
        assertThat(auth.refresher().failures()).isEqualTo(1);
        assertThat(check(auth, RSA_1.sign(JoseTestKeys.claims(VIEWER, NOW_SECONDS))).isValid()).isTrue();
    }

    @Test
    void pemPublicKeysWithKeyIds() throws Exception {
        Path rsaPem = Files.writeString(dir.resolve("rsa.pem"), RSA_1.publicPem());
        Path ecPem = Files.writeString(dir.resolve("ec.pem"), EC_1.publicPem());
        AuthSettings settings = new AuthSettings(Optional.empty(), Map.of(),
                Map.of(RSA_1.kid, rsaPem, "", ecPem), List.of(), Duration.ofMinutes(5), Optional.empty(),
                Optional.empty(), false);
        Authentication auth = Authentication.load(Optional.empty(), settings, NOW);
        assertThat(check(auth, RSA_1.sign(JoseTestKeys.claims(VIEWER, NOW_SECONDS))).isValid()).isTrue();
        // the EC key has no kid in the configuration: it is tried whatever kid the token names, or none
        assertThat(check(auth, EC_1.sign(JoseTestKeys.claims(VIEWER, NOW_SECONDS), null)).isValid()).isTrue();
        assertThat(check(auth, RSA_2.sign(JoseTestKeys.claims(VIEWER, NOW_SECONDS))).isValid()).isFalse();
    }

    @Test
    void namedHs256SecretsRotate() throws Exception {
        String oldSecret = "old-secret-old-secret-0001";
        String newSecret = "new-secret-new-secret-0002";
        AuthSettings during = new AuthSettings(Optional.of("k2"), Map.of("k1", oldSecret), Map.of(), List.of(),
                Duration.ofMinutes(5), Optional.empty(), Optional.empty(), false);
        Authentication auth = Authentication.load(Optional.of(newSecret), during, NOW);
        String oldToken = new TokenIssuer("k1", oldSecret, NOW).issue(VIEWER, Duration.ofMinutes(5));
        String issued = auth.access().tokenIssuer().orElseThrow().issue(VIEWER, Duration.ofMinutes(5));
        assertThat(header(issued).getString("kid")).isEqualTo("k2");
        assertThat(check(auth, oldToken).isValid()).isTrue();
        assertThat(check(auth, issued).isValid()).isTrue();

        AuthSettings after = new AuthSettings(Optional.of("k2"), Map.of(), Map.of(), List.of(),
                Duration.ofMinutes(5), Optional.empty(), Optional.empty(), false);
        Authentication rotated = Authentication.load(Optional.of(newSecret), after, NOW);
        assertThat(check(rotated, issued).isValid()).isTrue();
        assertThat(check(rotated, oldToken).rejectReason()).isEqualTo("token key id is not known");
    }

    @Test
    void algorithmConfusionIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("jwks.json"), JoseTestKeys.jwks(RSA_1));
        Authentication auth = Authentication.load(Optional.empty(), jwks(file), NOW);
        // HS256 "signed" with the public key's bytes as the secret: no HS256 key is configured
        String confused = new TokenIssuer(RSA_1.kid, RSA_1.publicPem(), NOW).issue(VIEWER, Duration.ofMinutes(5));
        assertThat(check(auth, confused).rejectReason()).isEqualTo("token algorithm is not accepted");
        // an ES256 header over an RSA key id
        String wrongAlg = EC_1.sign(JoseTestKeys.claims(VIEWER, NOW_SECONDS), RSA_1.kid);
        assertThat(check(auth, wrongAlg).isValid()).isFalse();
    }

    @Test
    void issuerAndAudienceAreCheckedWhenConfigured() throws Exception {
        Path file = Files.writeString(dir.resolve("jwks.json"), JoseTestKeys.jwks(EC_1));
        AuthSettings settings = new AuthSettings(Optional.empty(), Map.of(), Map.of(), List.of(file.toString()),
                Duration.ofMinutes(5), Optional.of("https://idp.example"), Optional.of("sluice"), false);
        Authentication auth = Authentication.load(Optional.empty(), settings, NOW);
        JsonObject claims = JoseTestKeys.claims(VIEWER, NOW_SECONDS);
        assertThat(check(auth, EC_1.sign(claims.copy())).rejectReason())
                .isEqualTo("token issuer or audience is not accepted");
        assertThat(check(auth, EC_1.sign(claims.copy().put("iss", "https://idp.example")
                .put("aud", new io.vertx.core.json.JsonArray().add("other").add("sluice")))).isValid()).isTrue();
        assertThat(check(auth, EC_1.sign(claims.copy().put("iss", "https://idp.example").put("aud", "other")))
                .isValid()).isFalse();
    }

    @Test
    void unusableKeySourcesStopTheStartWithOneLine() throws Exception {
        Path notJwks = Files.writeString(dir.resolve("bad.json"), "[1,2,3]");
        assertThatThrownBy(() -> Authentication.load(Optional.empty(), jwks(notJwks), NOW))
                .isInstanceOf(KeyFormatException.class).hasMessageContaining("bad.json").hasMessageContaining("JWKS");
        assertThatThrownBy(() -> Authentication.load(Optional.empty(), jwks(dir.resolve("missing.json")), NOW))
                .isInstanceOf(KeyFormatException.class).hasMessageContaining("does not exist");
        Path notPem = Files.writeString(dir.resolve("key.pem"), "hello");
        AuthSettings pem = new AuthSettings(Optional.empty(), Map.of(), Map.of("k", notPem), List.of(),
                Duration.ofMinutes(5), Optional.empty(), Optional.empty(), false);
        assertThatThrownBy(() -> Authentication.load(Optional.empty(), pem, NOW))
                .isInstanceOf(KeyFormatException.class).hasMessageContaining("PUBLIC KEY");
    }

    @Test
    void mutatedRs256AndEs256TokensAreRefusedWithoutThrowing() throws Exception {
        Path file = Files.writeString(dir.resolve("jwks.json"), JoseTestKeys.jwks(RSA_1, EC_1));
        Authentication auth = Authentication.load(Optional.empty(), jwks(file), NOW);
        java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        for (JoseTestKeys key : List.of(RSA_1, EC_1)) {
            String good = key.sign(JoseTestKeys.claims(VIEWER, NOW_SECONDS));
            int accepted = 0;
            for (int i = 0; i < 3_000; i++) {
                char[] token = good.toCharArray();
                token[random.nextInt(token.length)] = "AZaz09-_.x{}".charAt(random.nextInt(12));
                TokenCheck result = check(auth, new String(token));
                if (result.isValid()) {
                    accepted++;
                    assertThat(result.grant()).isEqualTo(VIEWER);
                }
            }
            assertThat(accepted).as(key.algorithm + " mutations accepted").isLessThan(100);
        }
    }

    private static JsonObject header(String token) {
        return new JsonObject(new String(java.util.Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))),
                StandardCharsets.UTF_8));
    }
}
