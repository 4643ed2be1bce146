package org.sluice.core.forward;

import java.util.Arrays;

/**
 * A place in a room that carries one kind of media ("the broadcast's video"): at most one current
 * source, any number of receivers. Receivers stay attached while sources come and go, so a new
 * publisher reaches existing viewers without renegotiation. Changed on the control plane; the
 * media loops read immutable snapshots through volatile fields.
 */
public final class MediaSlot {

    private static final OutboundStream[] NONE = new OutboundStream[0];

    private final MediaKind kind;
    private volatile InboundStream source;
    /** Whether receivers' allocators must not move up to this layer now (its publisher is asked to stop it). */
    private volatile boolean withheld;
    private volatile OutboundStream[][] sinksByLoop;

    public MediaSlot(MediaKind kind, int loops) {
        this.kind = kind;
        OutboundStream[][] empty = new OutboundStream[loops][];
        Arrays.fill(empty, NONE);
        this.sinksByLoop = empty;
    }

    public MediaKind kind() {
        return kind;
    }

    /**
     * Marks this simulcast layer as one its publisher is being asked to stop ({@code true}) or not: no receiver's
     * allocator moves up to it meanwhile (its rate falls as the publisher lowers it, which would make it look cheap).
     * Any thread.
     */
    public void withhold(boolean withheld) {
        this.withheld = withheld;
    }

    /** See {@link #withhold}; any thread. */
    public boolean isWithheld() {
        return withheld;
    }

    public InboundStream source() {
        return source;
    }

    OutboundStream[][] sinksByLoop() {
        return sinksByLoop;
    }

    /** Makes {@code stream} the slot's source; receivers rebase onto it and wait for its keyframe. */
    public synchronized void attachSource(InboundStream stream) {
        this.source = stream;
        if (stream != null && kind == MediaKind.VIDEO && receiverCount() > 0) {
            stream.keyframes().request();
        }
    }

    /** Removes {@code stream} if it is the current source. */
    public synchronized void detachSource(InboundStream stream) {
        if (source == stream) {
            source = null;
        }
    }

    public synchronized void addSink(OutboundStream sink, int loopIndex) {
        OutboundStream[][] next = sinksByLoop.clone();
        OutboundStream[] onLoop = Arrays.copyOf(next[loopIndex], next[loopIndex].length + 1);
        onLoop[onLoop.length - 1] = sink;
        next[loopIndex] = onLoop;
        sinksByLoop = next;
        InboundStream current = source;
        if (current != null && kind == MediaKind.VIDEO) {
            current.keyframes().request();
        }
    }

    public synchronized void removeSink(OutboundStream sink) {
        OutboundStream[][] next = sinksByLoop.clone();
        for (int i = 0; i < next.length; i++) {
            OutboundStream[] onLoop = next[i];
            for (int j = 0; j < onLoop.length; j++) {
                if (onLoop[j] == sink) {
                    OutboundStream[] shorter = new OutboundStream[onLoop.length - 1];
                    System.arraycopy(onLoop, 0, shorter, 0, j);
                    System.arraycopy(onLoop, j + 1, shorter, j, onLoop.length - j - 1);
                    next[i] = shorter.length == 0 ? NONE : shorter;
                    sinksByLoop = next;
                    return;
                }
            }
        }
    }

    public int receiverCount() {
        int n = 0;
        for (OutboundStream[] onLoop : sinksByLoop) {
            n += onLoop.length;
        }
        return n;
    }
}
