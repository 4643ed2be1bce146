package org.sluice.core.broadcast;

import org.sluice.core.forward.MediaKind;
import org.sluice.core.forward.MediaSlot;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A WHIP/WHEP room: one publisher at a time, any number of viewers. Its audio and video slots
 * outlive publishers, so viewers keep their tracks when the publisher leaves and comes back.
 */
public final class BroadcastRoom {

    private final String name;
    private final MediaSlot audio;
    private final MediaSlot video;
    private final Set<ViewerSession> viewers = ConcurrentHashMap.newKeySet();
    private PublisherSession publisher;

    public BroadcastRoom(String name, int loops) {
        this.name = name;
        this.audio = new MediaSlot(MediaKind.AUDIO, loops);
        this.video = new MediaSlot(MediaKind.VIDEO, loops);
    }

    public String name() {
        return name;
    }

    public MediaSlot slot(MediaKind kind) {
        return kind == MediaKind.AUDIO ? audio : video;
    }

    /** Takes the publisher seat; false if someone holds it. */
    public synchronized boolean claimPublisher(PublisherSession session) {
        if (publisher != null && !publisher.isClosed()) {
            return false;
        }
        publisher = session;
        return true;
    }

    public synchronized void releasePublisher(PublisherSession session) {
        if (publisher == session) {
            publisher = null;
        }
    }

    public synchronized PublisherSession publisher() {
        return publisher;
    }

    public void addViewer(ViewerSession viewer) {
        viewers.add(viewer);
    }

    public void removeViewer(ViewerSession viewer) {
        viewers.remove(viewer);
    }

    public int viewerCount() {
        return viewers.size();
    }

    public synchronized boolean isEmpty() {
        return (publisher == null || publisher.isClosed()) && viewers.isEmpty();
    }
}
