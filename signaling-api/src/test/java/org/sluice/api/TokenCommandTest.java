package org.sluice.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sluice.api.auth.JwtVerifier;
import org.sluice.api.auth.TokenCheck;

/** {@code sluice-server.jar token ...}: a token the server with the same secret accepts, or one clear line. */
class TokenCommandTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T06:00:00Z"), ZoneOffset.UTC);
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        return TokenCommand.run(args, env, CLOCK, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void printsAnAdminTokenSignedWithTheConfiguredSecret() {
        assertThat(run(Map.of(), "--room=*", "--admin", "--ttl=600", "--auth-secret=s3cret-s3cret-s3cret-s3cret"))
                .isZero();
        String token = out.toString(StandardCharsets.UTF_8).strip();
        TokenCheck check = new JwtVerifier("s3cret-s3cret-s3cret-s3cret", CLOCK).verify(token);
        assertThat(check.isValid()).isTrue();
        assertThat(check.grant().admin()).isTrue();
        assertThat(check.grant().publish()).isFalse();
        assertThat(check.grant().room()).isEqualTo("*");
        assertThat(new JwtVerifier("s3cret-s3cret-s3cret-s3cret", Clock.offset(CLOCK, java.time.Duration.ofSeconds(700)),
                java.time.Duration.ZERO).verify(token).isValid()).as("expired after its ttl").isFalse();
    }

    @Test
    void readsTheSecretFromTheEnvironmentLikeTheServer() {
        assertThat(run(Map.of("SLUICE_AUTH_SECRET", "env-secret-env-secret-env-secret"), "--room=standup",
                "--publish", "--subscribe")).isZero();
        TokenCheck check = new JwtVerifier("env-secret-env-secret-env-secret", CLOCK)
                .verify(out.toString(StandardCharsets.UTF_8).strip());
        assertThat(check.isValid()).isTrue();
        assertThat(check.grant().room()).isEqualTo("standup");
        assertThat(check.grant().publish()).isTrue();
        assertThat(check.grant().admin()).isFalse();
    }

    @Test
    void refusesWithOneLineWhatItCannotDo() {
        assertThat(run(Map.of(), "--room=a", "--admin")).isEqualTo(2);
        assertThat(run(Map.of(), "--admin", "--auth-secret=x")).isEqualTo(2);
        assertThat(run(Map.of(), "--room=a", "--auth-secret=x")).isEqualTo(2);
        assertThat(run(Map.of(), "--room=a", "--admin", "--ttl=forever", "--auth-secret=x")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).lines())
                .hasSize(4)
                .allMatch(line -> line.startsWith("sluice token: "))
                .noneMatch(line -> line.contains("Exception"));
        assertThat(out.size()).isZero();
    }
}
