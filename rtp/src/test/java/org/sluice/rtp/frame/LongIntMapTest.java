package org.sluice.rtp.frame;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The open-addressing map against {@link HashMap}, with clustered keys and many removals. */
class LongIntMapTest {

    @Test
    void behavesLikeAHashMap() {
        SplittableRandom random = new SplittableRandom(5);
        LongIntMap map = new LongIntMap(256);
        Map<Long, Integer> model = new HashMap<>();
        for (int i = 0; i < 200_000; i++) {
            long key = random.nextInt(3) == 0 ? random.nextLong() : random.nextInt(600) << 3;
            int op = random.nextInt(3);
            if (op == 0 && model.size() < 256) {
                int value = random.nextInt(1000);
                map.put(key, value);
                model.put(key, value);
            } else if (op == 1) {
                Integer v = model.get(key);
                int value = v != null && random.nextBoolean() ? v : random.nextInt(1000);
                map.remove(key, value);
                if (v != null && v == value) {
                    model.remove(key);
                }
            }
            assertThat(map.get(key)).isEqualTo(model.getOrDefault(key, -1));
            assertThat(map.size()).isEqualTo(model.size());
        }
        for (Map.Entry<Long, Integer> e : model.entrySet()) {
            assertThat(map.get(e.getKey())).isEqualTo(e.getValue());
        }
        map.clear();
        assertThat(map.size()).isZero();
        assertThat(map.get(8)).isEqualTo(-1);
    }
}
