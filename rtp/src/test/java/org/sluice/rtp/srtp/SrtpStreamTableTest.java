package org.sluice.rtp.srtp;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link SrtpStreamTable} against a plain map model under random creation, retirement and revival with colliding
 * SSRCs: every stream is found while it is remembered, never duplicated, and forgotten oldest-retired first.
 */
class SrtpStreamTableTest {

    @Test
    void agreesWithAMapModelThroughGrowthRetirementAndDeletion() {
        Random random = new Random(7);
        for (int limit : new int[] {1, 3, 8, 64}) {
            SrtpStreamTable table = new SrtpStreamTable(limit, 64);
            Map<Integer, SrtpStream> model = new HashMap<>();
            ArrayDeque<Integer> retiredOrder = new ArrayDeque<>();
            for (int step = 0; step < 20_000; step++) {
                // SSRCs from a small range, many of them multiples of the table size: long probe chains.
                int ssrc = random.nextBoolean() ? random.nextInt(4 * limit + 4) : random.nextInt(16) * 1024;
                SrtpStream found = table.get(ssrc);
                assertThat(found).as("limit %d step %d ssrc %d", limit, step, ssrc).isSameAs(model.get(ssrc));
                int action = random.nextInt(3);
                if (found == null && action < 2 && !table.isFull()) {
                    model.put(ssrc, table.create(ssrc));
                } else if (found != null && found.retired && !table.isFull() && action == 0) {
                    table.revive(found);
                    retiredOrder.remove(ssrc);
                } else if (found != null && !found.retired && action == 2) {
                    assertThat(table.retire(ssrc)).isTrue();
                    retiredOrder.addLast(ssrc);
                    while (retiredOrder.size() > limit) {
                        model.remove(retiredOrder.pollFirst());
                    }
                }
                long active = model.values().stream().filter(s -> !s.retired).count();
                assertThat(table.size()).isEqualTo((int) active);
                assertThat(table.retiredCount()).isEqualTo(retiredOrder.size());
            }
            for (Map.Entry<Integer, SrtpStream> e : model.entrySet()) {
                assertThat(table.get(e.getKey())).isSameAs(e.getValue());
            }
        }
    }
}
