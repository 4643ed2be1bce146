package org.sluice.api.conference;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Ping frames and the idle timeout, with short timers (100 ms pings, 400 ms idle). */
class ConferenceSocketLivenessTest {

    private ConferenceTestServer server;

    @BeforeEach
    void start() throws Exception {
        server = new ConferenceTestServer(Optional.empty(), Clock.systemUTC(), Duration.ofMillis(100),
                Duration.ofMillis(400), null);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aClientThatAnswersPingsStaysConnected() throws Exception {
        try (WsTestClient client = server.connect()) {
            Thread.sleep(1200);
            assertThat(client.closeCode).isNotDone();
            assertThat(client.request(new JsonObject().put("type", "ping").put("id", 1)).getString("type"))
                    .isEqualTo("pong");
        }
    }

    @Test
    void aSilentClientIsPingedThenClosedAndDetached() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            DataInputStream in = new DataInputStream(socket.getInputStream());
            assertThat(readHead(in)).startsWith("HTTP/1.1 101");
            writeMaskedText(out, "{\"type\":\"join\",\"id\":1,\"room\":\"lobby\"}");

            boolean sawPing = false;
            boolean sawJoined = false;
            int closeCode = -1;
            while (closeCode < 0) {
                int opcode = in.readUnsignedByte() & 0x0f;
                byte[] payload = readPayload(in);
                if (opcode == 0x9) {
                    sawPing = true;
                } else if (opcode == 0x1) {
                    sawJoined |= new String(payload, StandardCharsets.UTF_8).contains("\"joined\"");
                } else if (opcode == 0x8) {
                    closeCode = ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
                }
            }
            assertThat(sawJoined).isTrue();
            assertThat(sawPing).isTrue();
            assertThat(closeCode).isEqualTo(1001);
        }
        assertThat(server.conferences.nextCall()).startsWith("join");
        assertThat(server.conferences.nextCall()).isEqualTo("detach p1");
    }

    private static String readHead(DataInputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            head.write(in.readUnsignedByte());
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    private static byte[] readPayload(DataInputStream in) throws IOException {
        int length = in.readUnsignedByte() & 0x7f;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = (int) in.readLong();
        }
        byte[] payload = new byte[length];
        in.readFully(payload);
        return payload;
    }

    private static void writeMaskedText(OutputStream out, String text) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] mask = {1, 2, 3, 4};
        out.write(0x81);
        out.write(0x80 | payload.length);
        out.write(mask);
        for (int i = 0; i < payload.length; i++) {
            out.write(payload[i] ^ mask[i % 4]);
        }
        out.flush();
    }
}
