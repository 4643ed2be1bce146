package org.sluice.core.conference;

import org.sluice.core.forward.MediaKind;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One participant's receive sections and what each carries: mid → kind and the subscription assigned to it, plus
 * the subscriptions still waiting for a section. A section that carried something is answered inactive once before
 * it may carry something else, so the client's transceiver ends its old remote track first. Pure control-plane
 * logic (no networking), guarded by the room's lock.
 *
 * @param <S> what is assigned (a subscription)
 */
final class ReceiveSections<S> {

    /** One receive section. */
    private static final class Section<S> {
        final MediaKind kind;
        S current;
        boolean mustGoInactive;

        Section(MediaKind kind) {
            this.kind = kind;
        }
    }

    /** A pending item and its kind. */
    private record Pending<S>(S item, MediaKind kind) {
    }

    /**
     * What the next answer does: receive sections in offer order and the item each carries (absent: inactive).
     *
     * @param offered     the offer's receive sections, mid → kind, in order
     * @param assignments mid → what it carries
     */
    record Plan<S>(Map<String, MediaKind> offered, Map<String, S> assignments) {
    }

    private final Map<String, Section<S>> sections = new LinkedHashMap<>();
    private final List<Pending<S>> pending = new ArrayList<>();

    /** {@code item} waits for a section of {@code kind}. */
    void addPending(S item, MediaKind kind) {
        pending.add(new Pending<>(Objects.requireNonNull(item), kind));
    }

    /**
     * {@code item} is no longer wanted: if a section carries it, the section goes inactive in the next answer.
     * True if a section carried it (the client must renegotiate to see it end).
     */
    boolean release(S item) {
        pending.removeIf(p -> p.item() == item);
        for (Section<S> section : sections.values()) {
            if (section.current == item) {
                section.current = null;
                section.mustGoInactive = true;
                return true;
            }
        }
        return false;
    }

    /** The mid carrying {@code item}, or null. */
    String midOf(S item) {
        for (Map.Entry<String, Section<S>> e : sections.entrySet()) {
            if (e.getValue().current == item) {
                return e.getKey();
            }
        }
        return null;
    }

    /** Whether {@code item} waits for a section. */
    boolean isPending(S item) {
        for (Pending<S> p : pending) {
            if (p.item() == item) {
                return true;
            }
        }
        return false;
    }

    /**
     * Plans the answer to an offer with these receive sections (mid → kind, in offer order) without changing
     * anything: a section keeps what it carries; a section that must go inactive carries nothing; a free section
     * takes the oldest pending item of its kind. Items of sections the offer no longer has are pending again.
     */
    Plan<S> plan(Map<String, MediaKind> offered) {
        List<Pending<S>> waiting = new ArrayList<>();
        for (Map.Entry<String, Section<S>> e : sections.entrySet()) {
            Section<S> section = e.getValue();
            if (section.current != null && offered.get(e.getKey()) != section.kind) {
                waiting.add(new Pending<>(section.current, section.kind));
            }
        }
        waiting.addAll(pending);
        Map<String, S> assignments = new LinkedHashMap<>();
        for (Map.Entry<String, MediaKind> e : offered.entrySet()) {
            Section<S> section = sections.get(e.getKey());
            boolean sameKind = section != null && section.kind == e.getValue();
            if (sameKind && section.mustGoInactive) {
                continue;
            }
            if (sameKind && section.current != null) {
                assignments.put(e.getKey(), section.current);
                continue;
            }
            for (Iterator<Pending<S>> it = waiting.iterator(); it.hasNext();) {
                Pending<S> p = it.next();
                if (p.kind() == e.getValue()) {
                    it.remove();
                    assignments.put(e.getKey(), p.item());
                    break;
                }
            }
        }
        return new Plan<>(new LinkedHashMap<>(offered), assignments);
    }

    /**
     * Applies a plan once its answer is given; assignments to mids in {@code refused} (the negotiation rejected
     * them) are not made and their items stay pending.
     */
    void commit(Plan<S> plan, Collection<String> refused) {
        Map<String, Section<S>> next = new LinkedHashMap<>();
        Map<S, Boolean> placed = new HashMap<>();
        for (Map.Entry<String, MediaKind> e : plan.offered().entrySet()) {
            Section<S> section = new Section<>(e.getValue());
            S item = plan.assignments().get(e.getKey());
            if (item != null && !refused.contains(e.getKey())) {
                section.current = item;
                placed.put(item, Boolean.TRUE);
            }
            next.put(e.getKey(), section);
        }
        List<Pending<S>> stillWaiting = new ArrayList<>();
        for (Map.Entry<String, Section<S>> e : sections.entrySet()) {
            S item = e.getValue().current;
            if (item != null && !placed.containsKey(item)) {
                stillWaiting.add(new Pending<>(item, e.getValue().kind));
            }
        }
        for (Pending<S> p : pending) {
            if (!placed.containsKey(p.item())) {
                stillWaiting.add(p);
            }
        }
        sections.clear();
        sections.putAll(next);
        pending.clear();
        pending.addAll(stillWaiting);
    }

    /**
     * Receive sections of {@code kind} the next offer must have (at least): every current section, plus one for each
     * pending item no free section can take.
     */
    int needed(MediaKind kind) {
        int total = 0;
        int free = 0;
        for (Section<S> section : sections.values()) {
            if (section.kind == kind) {
                total++;
                if (section.current == null && !section.mustGoInactive) {
                    free++;
                }
            }
        }
        int waiting = 0;
        for (Pending<S> p : pending) {
            if (p.kind() == kind) {
                waiting++;
            }
        }
        return total + Math.max(0, waiting - free);
    }

    /** Whether the client must send a new offer: something waits for a section or a section must go inactive. */
    boolean renegotiationNeeded() {
        if (!pending.isEmpty()) {
            return true;
        }
        for (Section<S> section : sections.values()) {
            if (section.mustGoInactive) {
                return true;
            }
        }
        return false;
    }
}
