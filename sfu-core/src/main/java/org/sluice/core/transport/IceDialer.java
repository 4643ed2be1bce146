package org.sluice.core.transport;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.ScheduledFuture;
import org.sluice.core.ice.IceCredentials;
import org.sluice.core.net.DialSocket;
import org.sluice.core.net.MediaLoop;
import org.sluice.core.net.PacketClass;
import org.sluice.core.net.PacketPath;
import org.sluice.core.net.PacketReceiver;
import org.sluice.core.stun.IntegrityCheck;
import org.sluice.core.stun.StunIntegrity;
import org.sluice.core.stun.StunMessage;
import org.sluice.core.stun.StunMessageType;
import org.sluice.core.stun.StunMessageWriter;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

/**
 * The controlling side of ICE for a transport we dial (RFC 8445 against an ICE-lite peer, which only answers):
 * nominating Binding requests ({@code USE-CANDIDATE}, {@code ICE-CONTROLLING}, short-term integrity with the peer's
 * password) to its candidate every {@value #RETRY_MILLIS} ms, each retransmission with the same transaction id
 * (RFC 8489 §6.2.1), until an authentic success response; then the path is the transport's and DTLS starts, and one
 * check every {@value #CONSENT_SECONDS} s keeps consent (RFC 7675) both ways. It reads the transport's
 * {@link DialSocket}: answers to its checks it takes, everything else goes to the transport. All on the socket's loop.
 */
final class IceDialer implements PacketReceiver {

    static final long RETRY_MILLIS = 50;
    static final long CONSENT_SECONDS = 5;
    /** A peer-reflexive-like priority for our only candidate (RFC 8445 §5.1.2, type preference 110). */
    private static final long PRIORITY = 0x6E7F1EFFL;

    private final MediaTransport transport;
    private final InetSocketAddress remote;
    private final String username;
    private final StunIntegrity remoteIntegrity;
    private final long tieBreaker;
    private final SecureRandom random;
    private final StunMessageWriter writer = new StunMessageWriter();
    private final StunMessage view = new StunMessage();
    private final byte[] transactionId = new byte[StunMessage.TRANSACTION_ID_LENGTH];
    private DialSocket socket;
    private ScheduledFuture<?> checks;
    private boolean transactionStarted;
    private boolean connected;
    private boolean stopped;

    IceDialer(MediaTransport transport, IceCredentials local, IceCredentials remoteCredentials,
              InetSocketAddress remote, SecureRandom random) {
        this.transport = transport;
        this.remote = remote;
        this.username = remoteCredentials.ufrag() + ":" + local.ufrag();
        this.remoteIntegrity = StunIntegrity.shortTerm(remoteCredentials.pwd());
        this.random = random;
        this.tieBreaker = random.nextLong();
    }

    /** Starts checking over {@code socket}; on its loop. */
    void start(DialSocket socket) {
        this.socket = socket;
        checks = socket.loop().eventLoop().scheduleAtFixedRate(this::sendCheck, 0, RETRY_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Stops checking and closes the socket; any thread. */
    void stop() {
        DialSocket s = socket;
        if (s == null) {
            return;
        }
        s.loop().eventLoop().execute(() -> {
            stopped = true;
            if (checks != null) {
                checks.cancel(false);
            }
            s.close();
        });
    }

    private void sendCheck() {
        if (stopped) {
            return;
        }
        if (connected || !transactionStarted) {
            random.nextBytes(transactionId);
            transactionStarted = true;
        }
        ByteBuf out = socket.loop().alloc().directBuffer(256);
        try {
            writer.bindingRequest(out, transactionId, username, PRIORITY, true, tieBreaker, true, remoteIntegrity);
        } catch (RuntimeException e) {
            out.release();
            return;
        }
        socket.send(out, remote);
    }

    @Override
    public void onPacket(ByteBuf packet, InetSocketAddress sender, PacketPath path) {
        if (PacketClass.of(packet) == PacketClass.STUN && isAnswerToOurCheck(packet)) {
            try {
                onAnswered(sender);
            } finally {
                packet.release();
            }
            return;
        }
        transport.onPacket(packet, sender, path);
    }

    private boolean isAnswerToOurCheck(ByteBuf packet) {
        return view.wrap(packet) && view.messageType() == StunMessageType.BINDING_SUCCESS_RESPONSE
                && view.transactionIdEquals(transactionId);
    }

    private void onAnswered(InetSocketAddress sender) {
        if (stopped || !sender.equals(remote) || remoteIntegrity.verify(view) != IntegrityCheck.VALID) {
            transport.counters().stunRejected.increment();
            return;
        }
        transport.onDialedCheckAnswered();
        if (connected) {
            return;
        }
        connected = true;
        checks.cancel(false);
        checks = socket.loop().eventLoop().scheduleAtFixedRate(this::sendCheck, CONSENT_SECONDS, CONSENT_SECONDS,
                TimeUnit.SECONDS);
        transport.useDialedPath(remote, socket);
    }

    @Override
    public void onReadBatchComplete(MediaLoop loop) {
        // Sends are flushed by the socket itself.
    }
}
