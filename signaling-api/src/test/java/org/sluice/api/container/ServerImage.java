package org.sluice.api.container;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The server image: built from {@code deploy/Dockerfile} with {@code --network none} on the offline test base
 * (Debian's JRE, made by {@code deploy/test/build-test-base.sh}), once per test run for all the container tests
 * (a test method's parameter, with {@code @ExtendWith(ServerImage.Shared.class)}), and removed when the run ends.
 */
public final class ServerImage implements AutoCloseable {

    /** The offline base image {@code deploy/test/build-test-base.sh} makes. */
    public static final String BASE_IMAGE = "localhost/sluice-test-jre:17";
    private static final String REPOSITORY = "localhost/sluice";

    private final Path configDir;
    private final Podman podman;
    private final String tag = "it-" + ProcessHandle.current().pid();
    private final double buildSeconds;

    private ServerImage(Path repository) throws IOException, InterruptedException {
        configDir = Files.createTempDirectory("sluice-image");
        podman = Podman.create(configDir);
        long started = System.nanoTime();
        podman.check(600, "build", "--format", "docker", "--network", "none", "--pull=never",
                "--build-arg", "BASE_IMAGE=" + BASE_IMAGE, "-f", repository.resolve("deploy/Dockerfile").toString(),
                "-t", name(), repository.toString());
        buildSeconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("built %s in %.1f s%n", name(), buildSeconds);
    }

    /** {@code repository:tag}. */
    public String name() {
        return REPOSITORY + ":" + tag;
    }

    /** The image's repository ({@code localhost/sluice}). */
    public String repository() {
        return REPOSITORY;
    }

    /** The image's tag. */
    public String tag() {
        return tag;
    }

    /** How long {@code podman build} took. */
    public double buildSeconds() {
        return buildSeconds;
    }

    /** The repository root: the parent of the module directory the tests run in. */
    public static Path repositoryRoot() {
        return Path.of("").toAbsolutePath().getParent();
    }

    /**
     * Skips the test, or fails it under {@code CI=true} (where {@code .ci/run} installs them), unless podman, runc and
     * nsenter, the server jar and the offline base image are there.
     */
    public static void requirePodmanJarAndBase(Path dir) throws IOException, InterruptedException {
        boolean ci = "true".equals(System.getenv("CI"));
        require(Podman.installed(), ci, "podman, runc and nsenter are needed (apt-get install -y podman runc)");
        Path jar = repositoryRoot().resolve("signaling-api/target/sluice-server.jar");
        require(Files.isRegularFile(jar), ci, jar + " is missing: run `./mvnw package` (or verify) first");
        require(Podman.create(dir).run(30, "image", "exists", BASE_IMAGE).exitCode() == 0, ci,
                "the offline base image " + BASE_IMAGE + " is missing: run deploy/test/build-test-base.sh");
    }

    /** Skips, or fails under {@code CI=true}, unless {@code condition} holds. */
    public static void require(boolean condition, boolean ci, String reason) {
        if (condition) {
            return;
        }
        if (ci) {
            fail("container interop precondition not met under CI=true: " + reason);
        }
        assumeTrue(false, "skipping container interop: " + reason);
    }

    @Override
    public void close() throws IOException {
        try {
            podman.run(60, "rmi", "-f", name());
            podman.run(60, "image", "prune", "-f", "--filter", "label=org.sluice.stage=check");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try (Stream<Path> files = Files.walk(configDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /** Resolves a {@link ServerImage} parameter: built at its first use in a test run, removed when the run ends. */
    public static final class Shared implements ParameterResolver {

        private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ServerImage.class);

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == ServerImage.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            // The root context's store lives as long as the test run and closes its AutoCloseable values at its end.
            return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(ServerImage.class, key -> {
                try {
                    return new ServerImage(repositoryRoot());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }, ServerImage.class);
        }
    }
}
