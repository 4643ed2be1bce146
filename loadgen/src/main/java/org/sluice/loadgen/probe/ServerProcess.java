package org.sluice.loadgen.probe;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Sluice server jar the load generator starts itself: {@code [taskset -c CPUS] java [JVM args] -jar JAR
 * --http-port=P --media-udp-port=U --media-tcp-port=0 [server args]}, output to a log file, ready when
 * {@code /health/ready} answers 200. {@link #close()} stops it (SIGTERM, then SIGKILL) by its PID.
 */
public final class ServerProcess implements AutoCloseable {

    private final Process process;
    private final URI origin;

    private ServerProcess(Process process, URI origin) {
        this.process = process;
        this.origin = origin;
    }

    public static ServerProcess start(Path jar, String cpus, List<String> jvmArgs, List<String> serverArgs,
                                      int httpPort, int udpPort, Path log, Duration readyTimeout)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (cpus != null && !cpus.isBlank()) {
            command.add("taskset");
            command.add("-c");
            command.add(cpus);
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-jar");
        command.add(jar.toString());
        command.add("--http-host=127.0.0.1");
        command.add("--http-port=" + httpPort);
        command.add("--media-udp-port=" + udpPort);
        command.add("--media-tcp-port=0");
        command.add("--media-bind-address=127.0.0.1");
        command.add("--media-advertised-addresses=127.0.0.1");
        command.add("--shutdown-drain-time=2s");
        command.addAll(serverArgs);
        File logFile = log.toFile();
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(logFile)).start();
        URI origin = URI.create("http://127.0.0.1:" + httpPort);
        ServerProcess server = new ServerProcess(process, origin);
        try {
            server.awaitReady(readyTimeout);
        } catch (IOException | InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("the server exited with " + process.exitValue() + " before it was ready");
            }
            try {
                HttpResponse<Void> response = client.send(HttpRequest.newBuilder(origin.resolve("/health/ready"))
                        .timeout(Duration.ofSeconds(1)).GET().build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IOException("the server was not ready within " + timeout);
    }

    /** The java process's PID (taskset execs java, so it is the same process). */
    public long pid() {
        return process.pid();
    }

    public URI origin() {
        return origin;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
