package org.sluice.loadgen.peer;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonTest {

    @Test
    void serverMessagesParse() {
        Object parsed = Json.parse("{\"type\":\"answer\",\"id\":\"offer-1\",\"sdp\":\"v=0\\r\\na=x\\u0041\","
                + "\"tracks\":[{\"mid\":\"2\"}],\"audio\":2,\"ok\":true,\"none\":null}");
        assertThat(parsed).isInstanceOf(Map.class);
        Map<?, ?> map = (Map<?, ?>) parsed;
        assertThat(map.get("sdp")).isEqualTo("v=0\r\na=xA");
        assertThat(map.get("audio")).isEqualTo(2.0);
        assertThat(map.get("ok")).isEqualTo(Boolean.TRUE);
        assertThat(map.containsKey("none")).isTrue();
        assertThat((List<?>) map.get("tracks")).hasSize(1);
    }

    @Test
    void quotingRoundTrips() {
        String text = "a\"b\\c\r\n\u0001";
        assertThat(Json.parse(Json.quote(text))).isEqualTo(text);
    }

    @Test
    void hostileInputIsRefusedWithIllegalArgument() {
        for (String bad : new String[] {"", "{", "{\"a\":}", "[1,", "\"\\u12\"", "{\"a\":1} x", "tru", "{1:2}"}) {
            assertThatThrownBy(() -> Json.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Json.parse("[".repeat(100) + "]".repeat(100)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deep");
    }
}
