package org.sluice.core.ice;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sluice.core.stun.IntegrityCheck;
import org.sluice.core.stun.StunAttribute;
import org.sluice.core.stun.StunFingerprint;
import org.sluice.core.stun.StunIntegrity;
import org.sluice.core.stun.StunMessage;
import org.sluice.core.stun.StunMessageType;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class IceLiteAgentTest {

    private static final long SECOND = 1_000_000_000L;
    private static final IceCredentials PEER = new IceCredentials("peer", "peerpasswordpeerpassword");
    private static final InetSocketAddress A = new InetSocketAddress("192.0.2.10", 50000);
    private static final InetSocketAddress B = new InetSocketAddress("2001:db8::20", 50001);

    private long now = 1_000 * SECOND;
    private final List<String> events = new ArrayList<>();
    private final IceAgentListener listener = new IceAgentListener() {
        @Override
        public void pairValidated(IcePair pair) {
            events.add("valid " + describe(pair));
        }

        @Override
        public void selectedPairChanged(IcePair previous, IcePair selected) {
            events.add("selected " + describe(previous) + " -> " + describe(selected));
        }

        @Override
        public void consentExpired(IcePair selected) {
            events.add("consent expired " + describe(selected));
        }

        @Override
        public void restartCompleted() {
            events.add("restart completed");
        }
    };
    private final IceLiteAgent agent = new IceLiteAgent(new SecureRandom(), () -> now, listener);
    private final TestPeer peer = new TestPeer();
    private final ByteBuf out = Unpooled.buffer(256);
    private final StunMessage response = new StunMessage();

    private static String describe(IcePair pair) {
        return pair == null ? "none" : pair.kind() + " " + pair.remote().getPort();
    }

    @AfterEach
    void release() {
        peer.release();
        out.release();
    }

    private IceCheckOutcome send(TestPeer.Check check, InetSocketAddress from, TransportKind kind) {
        out.clear();
        return agent.handleRequest(peer.build(check), from, kind, out);
    }

    private TestPeer.Check check() {
        return TestPeer.check(agent.localCredentials(), PEER.ufrag());
    }

    private StunMessage response() {
        assertThat(response.wrap(out)).as(response.invalidReason()).isTrue();
        return response;
    }

    @Test
    void generatesWellFormedDistinctCredentials() {
        IceCredentials local = agent.localCredentials();
        assertThat(local.isWellFormed()).isTrue();
        assertThat(local.ufrag()).hasSizeGreaterThanOrEqualTo(4);
        assertThat(local.pwd()).hasSizeGreaterThanOrEqualTo(22);
        assertThat(new IceLiteAgent(new SecureRandom(), () -> 0, listener).localCredentials()).isNotEqualTo(local);
        assertThat(local.toString()).doesNotContain(local.pwd());
    }

    @Test
    void validCheckGetsSignedSuccessWithMappedAddress() {
        agent.setRemoteCredentials(PEER);
        TestPeer.Check check = check();
        StunMessage request = peer.build(check);
        out.clear();
        assertThat(agent.handleRequest(request, A, TransportKind.UDP, out)).isEqualTo(IceCheckOutcome.VALID);
        StunMessage r = response();
        assertThat(r.messageType()).isEqualTo(StunMessageType.BINDING_SUCCESS_RESPONSE);
        assertThat(r.transactionIdEquals(request)).isTrue();
        assertThat(r.xorMappedAddress()).isEqualTo(A);
        assertThat(StunIntegrity.shortTerm(agent.localCredentials().pwd()).verify(r)).isEqualTo(IntegrityCheck.VALID);
        assertThat(new StunFingerprint().verify(r)).isTrue();
        assertThat(agent.isValidPair(A, TransportKind.UDP)).isTrue();
        assertThat(agent.isValidPair(A, TransportKind.TCP)).isFalse();
        assertThat(agent.selectedPair()).isNull();
        assertThat(agent.lastValidCheckNanos()).isEqualTo(now);
        assertThat(events).containsExactly("valid UDP 50000");
    }

    @Test
    void wrongUfragIsUnauthenticated() {
        agent.setRemoteCredentials(PEER);
        assertThat(send(TestPeer.check(agent.localCredentials(), "other"), A, TransportKind.UDP))
                .isEqualTo(IceCheckOutcome.REJECTED_401);
        assertUnsignedError(401);
        TestPeer.Check swapped = new TestPeer.Check(PEER.ufrag() + ":" + agent.localCredentials().ufrag(),
                agent.localCredentials().pwd());
        assertThat(send(swapped, A, TransportKind.UDP)).isEqualTo(IceCheckOutcome.REJECTED_401);
        assertThat(agent.validPairs()).isEmpty();
        assertThat(events).isEmpty();
    }

    @Test
    void wrongPasswordIsUnauthenticated() {
        agent.setRemoteCredentials(PEER);
        TestPeer.Check check = check();
        check.password = agent.localCredentials().pwd() + "x";
        assertThat(send(check, A, TransportKind.UDP)).isEqualTo(IceCheckOutcome.REJECTED_401);
        assertUnsignedError(401);
        assertThat(agent.validPairs()).isEmpty();
    }

    @Test
    void missingIntegrityOrUsernameIsBadRequest() {
        agent.setRemoteCredentials(PEER);
        TestPeer.Check noIntegrity = check();
        noIntegrity.integrity = false;
        assertThat(send(noIntegrity, A, TransportKind.UDP)).isEqualTo(IceCheckOutcome.REJECTED_400);
        assertUnsignedError(400);
        TestPeer.Check noUsername = check();
        noUsername.withUsername = false;
        assertThat(send(noUsername, A, TransportKind.UDP)).isEqualTo(IceCheckOutcome.REJECTED_400);
        assertUnsignedError(400);
        assertThat(agent.validPairs()).isEmpty();
    }

    @Test
    void otherMethodsAreBadRequests() {
        TestPeer.Check allocate = check();
        allocate.messageType = StunMessageType.type(0x003, StunMessageType.CLASS_REQUEST);
        assertThat(send(allocate, A, TransportKind.UDP)).isEqualTo(IceCheckOutcome.REJECTED_400);
        assertThat(response().messageType()).isEqualTo(StunMessageType.type(0x003, StunMessageType.CLASS_ERROR_RESPONSE));
    }

    private void assertUnsignedError(int code) {
        StunMessage r = response();
        assertThat(r.messageType()).isEqualTo(StunMessageType.BINDING_ERROR_RESPONSE);
        assertThat(r.errorCode()).isEqualTo(code);
        assertThat(r.messageIntegrityPosition()).isEqualTo(-1);
        assertThat(new StunFingerprint().verify(r)).isTrue();
    }

    @Test
    void controlledPeerGetsRoleConflict() {
        agent.setRemoteCredentials(PEER);
        TestPeer.Check check = check();
        check.controlled = true;
        check.useCandidate = true;
        assertThat(send(check, A, TransportKind.UDP)).isEqualTo(IceCheckOutcome.ROLE_CONFLICT);
        StunMessage r = response();
        assertThat(r.errorCode()).isEqualTo(487);
        assertThat(r.errorReason()).isEqualTo("Role Conflict");
        assertThat(StunIntegrity.shortTerm(agent.localCredentials().pwd()).verify(r)).isEqualTo(IntegrityCheck.VALID);
        assertThat(agent.validPairs()).isEmpty();
        assertThat(agent.selectedPair()).isNull();
    }

    @Test
    void useCandidateNominatesAndSelects() {
        agent.setRemoteCredentials(PEER);
        assertThat(send(check(), A, TransportKind.UDP)).isEqualTo(IceCheckOutcome.VALID);
        TestPeer.Check nominate = check();
        nominate.useCandidate = true;
        assertThat(send(nominate, A, TransportKind.UDP)).isEqualTo(IceCheckOutcome.NOMINATED);
        assertThat(agent.selectedPair()).isEqualTo(new IcePair(A, TransportKind.UDP));
        assertThat(send(nominate, A, TransportKind.UDP)).isEqualTo(IceCheckOutcome.NOMINATED);
        assertThat(events).containsExactly("valid UDP 50000", "selected none -> UDP 50000");
    }

    @Test
    void addressChangeMovesSelectionOnlyWithANewNomination() {
        agent.setRemoteCredentials(PEER);
        TestPeer.Check nominate = check();
        nominate.useCandidate = true;
        send(nominate, A, TransportKind.UDP);
        assertThat(send(check(), B, TransportKind.UDP)).isEqualTo(IceCheckOutcome.VALID);
        assertThat(response().xorMappedAddress()).isEqualTo(B);
        assertThat(agent.selectedPair().remote()).isEqualTo(A);
        assertThat(send(nominate, B, TransportKind.UDP)).isEqualTo(IceCheckOutcome.NOMINATED);
        assertThat(agent.selectedPair()).isEqualTo(new IcePair(B, TransportKind.UDP));
        assertThat(send(nominate, B, TransportKind.TCP)).isEqualTo(IceCheckOutcome.NOMINATED);
        assertThat(agent.selectedPair()).isEqualTo(new IcePair(B, TransportKind.TCP));
        assertThat(events).containsExactly("valid UDP 50000", "selected none -> UDP 50000",
                "valid UDP 50001", "selected UDP 50000 -> UDP 50001",
                "valid TCP 50001", "selected UDP 50001 -> TCP 50001");
    }

    @Test
    void consentExpiresExactlyThirtySecondsAfterTheLastValidCheck() {
        agent.setRemoteCredentials(PEER);
        TestPeer.Check nominate = check();
        nominate.useCandidate = true;
        send(nominate, A, TransportKind.UDP);
        long checkedAt = now;
        assertThat(agent.lastValidCheckNanos()).isEqualTo(checkedAt);
        assertThat(agent.consentExpired(checkedAt + 30 * SECOND - 1)).isFalse();
        assertThat(agent.checkConsent(checkedAt + 30 * SECOND - 1)).isFalse();
        assertThat(agent.consentExpired(checkedAt + 30 * SECOND)).isTrue();
        assertThat(agent.checkConsent(checkedAt + 30 * SECOND)).isTrue();
        assertThat(agent.checkConsent(checkedAt + 31 * SECOND)).isTrue();
        assertThat(events).containsOnlyOnce("consent expired UDP 50000");

        now = checkedAt + 32 * SECOND;
        send(check(), A, TransportKind.UDP);
        assertThat(agent.checkConsent(now + 29 * SECOND)).isFalse();
        assertThat(agent.checkConsent(now + 30 * SECOND)).isTrue();
        assertThat(events.stream().filter(e -> e.startsWith("consent")).count()).isEqualTo(2);
    }

    @Test
    void consentCountsTheSelectedPairOnly() {
        agent.setRemoteCredentials(PEER);
        TestPeer.Check nominate = check();
        nominate.useCandidate = true;
        send(nominate, A, TransportKind.UDP);
        long selectedCheck = now;
        now += 20 * SECOND;
        send(check(), B, TransportKind.UDP);
        assertThat(agent.lastValidCheckNanos()).isEqualTo(selectedCheck);
        assertThat(agent.consentExpired(selectedCheck + 30 * SECOND)).isTrue();
    }

    @Test
    void consentIsMeasuredFromCreationBeforeAnyCheck() {
        IceLiteAgent fresh = new IceLiteAgent(new SecureRandom(), () -> now, listener, Duration.ofSeconds(10), 4);
        assertThat(fresh.consentExpired(now + 10 * SECOND - 1)).isFalse();
        assertThat(fresh.consentExpired(now + 10 * SECOND)).isTrue();
    }

    @Test
    void iceRestartKeepsOldCredentialsUntilTheNewOnesValidate() {
        agent.setRemoteCredentials(PEER);
        IceCredentials old = agent.localCredentials();
        TestPeer.Check oldNominate = TestPeer.check(old, PEER.ufrag());
        oldNominate.useCandidate = true;
        send(oldNominate, A, TransportKind.UDP);

        IceCredentials newPeer = new IceCredentials("peer2", "peer2passwordpeer2passw");
        IceCredentials fresh = agent.restart(newPeer);
        assertThat(fresh).isNotEqualTo(old);
        assertThat(agent.localCredentials()).isEqualTo(fresh);
        assertThat(agent.remoteCredentials()).isEqualTo(newPeer);
        assertThat(agent.restartPending()).isTrue();

        // Old credentials still work, and the selected pair stays.
        assertThat(send(oldNominate, A, TransportKind.UDP)).isEqualTo(IceCheckOutcome.NOMINATED);
        assertThat(StunIntegrity.shortTerm(old.pwd()).verify(response())).isEqualTo(IntegrityCheck.VALID);
        assertThat(agent.selectedPair().remote()).isEqualTo(A);
        // Old local ufrag with the new remote ufrag is not a valid combination.
        assertThat(send(TestPeer.check(old, newPeer.ufrag()), A, TransportKind.UDP))
                .isEqualTo(IceCheckOutcome.REJECTED_401);

        // A check with the new credentials completes the restart.
        TestPeer.Check freshNominate = TestPeer.check(fresh, newPeer.ufrag());
        freshNominate.useCandidate = true;
        assertThat(send(freshNominate, B, TransportKind.UDP)).isEqualTo(IceCheckOutcome.NOMINATED);
        assertThat(StunIntegrity.shortTerm(fresh.pwd()).verify(response())).isEqualTo(IntegrityCheck.VALID);
        assertThat(agent.restartPending()).isFalse();
        assertThat(agent.selectedPair().remote()).isEqualTo(B);
        assertThat(send(oldNominate, A, TransportKind.UDP)).isEqualTo(IceCheckOutcome.REJECTED_401);
        assertThat(events).containsSubsequence("valid UDP 50000", "selected none -> UDP 50000",
                "valid UDP 50001", "restart completed", "selected UDP 50000 -> UDP 50001");
    }

    @Test
    void restartWithoutNewNominationKeepsSelection() {
        agent.setRemoteCredentials(PEER);
        TestPeer.Check nominate = check();
        nominate.useCandidate = true;
        send(nominate, A, TransportKind.UDP);
        IceCredentials fresh = agent.restart(null);
        // Remote ufrag unknown after restart: any remote part is accepted with the new local ufrag.
        assertThat(send(TestPeer.check(fresh, "whatever"), A, TransportKind.UDP)).isEqualTo(IceCheckOutcome.VALID);
        assertThat(agent.restartPending()).isFalse();
        assertThat(agent.selectedPair().remote()).isEqualTo(A);
        assertThat(agent.validPairs()).containsExactly(new IcePair(A, TransportKind.UDP));
    }

    @Test
    void unknownRemoteUfragAcceptsAnyRemotePartUntilSet() {
        assertThat(agent.remoteCredentials()).isNull();
        assertThat(send(TestPeer.check(agent.localCredentials(), "anything"), A, TransportKind.UDP))
                .isEqualTo(IceCheckOutcome.VALID);
        agent.setRemoteCredentials(PEER);
        assertThat(send(TestPeer.check(agent.localCredentials(), "anything"), A, TransportKind.UDP))
                .isEqualTo(IceCheckOutcome.REJECTED_401);
        assertThat(send(check(), A, TransportKind.UDP)).isEqualTo(IceCheckOutcome.VALID);
    }

    @Test
    void sha256RequestGetsSha256Response() {
        agent.setRemoteCredentials(PEER);
        TestPeer.Check check = check();
        check.integrity = false;
        check.sha256 = true;
        assertThat(send(check, A, TransportKind.UDP)).isEqualTo(IceCheckOutcome.VALID);
        StunMessage r = response();
        assertThat(r.messageIntegrityPosition()).isEqualTo(-1);
        assertThat(StunIntegrity.shortTerm(agent.localCredentials().pwd()).verifySha256(r)).isTrue();
    }

    @Test
    void fingerprintIsOptionalButMustMatchWhenPresent() {
        agent.setRemoteCredentials(PEER);
        TestPeer.Check noFingerprint = check();
        noFingerprint.fingerprint = false;
        assertThat(send(noFingerprint, A, TransportKind.UDP)).isEqualTo(IceCheckOutcome.VALID);

        StunMessage request = peer.build(check());
        ByteBuf raw = peer.buffer();
        int fp = request.fingerprintPosition();
        raw.setInt(fp + 4, raw.getInt(fp + 4) ^ 1);
        out.clear();
        assertThat(agent.handleRequest(request, A, TransportKind.UDP, out)).isEqualTo(IceCheckOutcome.IGNORED);
        assertThat(out.readableBytes()).isZero();
    }

    @Test
    void ignoresWhatIsNotARequest() {
        agent.setRemoteCredentials(PEER);
        TestPeer.Check indication = check();
        indication.messageType = StunMessageType.BINDING_INDICATION;
        assertThat(send(indication, A, TransportKind.UDP)).isEqualTo(IceCheckOutcome.IGNORED);
        TestPeer.Check success = check();
        success.messageType = StunMessageType.BINDING_SUCCESS_RESPONSE;
        assertThat(send(success, A, TransportKind.UDP)).isEqualTo(IceCheckOutcome.IGNORED);
        assertThat(out.readableBytes()).isZero();
        StunMessage invalid = new StunMessage();
        assertThat(agent.handleRequest(invalid, A, TransportKind.UDP, out)).isEqualTo(IceCheckOutcome.IGNORED);
        ByteBuf tiny = Unpooled.buffer(16, 16);
        try {
            assertThat(agent.handleRequest(peer.build(check()), A, TransportKind.UDP, tiny))
                    .isEqualTo(IceCheckOutcome.IGNORED);
        } finally {
            tiny.release();
        }
        assertThat(agent.validPairs()).isEmpty();
    }

    @Test
    void validPairsAreBounded() {
        agent.setRemoteCredentials(PEER);
        TestPeer.Check nominate = check();
        nominate.useCandidate = true;
        send(nominate, A, TransportKind.UDP);
        for (int port = 1; port <= 20; port++) {
            now += SECOND;
            send(check(), new InetSocketAddress("192.0.2.99", port), TransportKind.UDP);
        }
        assertThat(agent.validPairs()).hasSize(IceLiteAgent.DEFAULT_MAX_VALID_PAIRS);
        assertThat(agent.isValidPair(A, TransportKind.UDP)).as("the selected pair is never evicted").isTrue();
        assertThat(agent.isValidPair(new InetSocketAddress("192.0.2.99", 20), TransportKind.UDP)).isTrue();
        assertThat(agent.isValidPair(new InetSocketAddress("192.0.2.99", 1), TransportKind.UDP)).isFalse();
    }

    @Test
    void responseCarriesNoUseCandidateOrUsername() {
        agent.setRemoteCredentials(PEER);
        TestPeer.Check nominate = check();
        nominate.useCandidate = true;
        send(nominate, A, TransportKind.UDP);
        StunMessage r = response();
        assertThat(r.has(StunAttribute.USERNAME)).isFalse();
        assertThat(r.has(StunAttribute.USE_CANDIDATE)).isFalse();
    }
}
