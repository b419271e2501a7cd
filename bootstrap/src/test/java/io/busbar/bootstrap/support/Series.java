package io.busbar.bootstrap.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.busbar.mappings.model.Reading;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Assertions over what a target received: each (meter, quantity) second exactly once. */
public final class Series {

    private Series() {
    }

    public static void assertEachSecondExactlyOnce(List<Reading> readings) {
        Map<String, Long> perKey = readings.stream().collect(Collectors.groupingBy(Reading::key, Collectors.counting()));
        assertThat(perKey).as("duplicate keys").allSatisfy((key, count) -> assertThat(count).as(key).isOne());
        Map<String, TreeSet<Long>> seconds = readings.stream().collect(Collectors.groupingBy(
                r -> r.pair() + "/" + r.meter() + "/" + r.quantity(),
                Collectors.mapping(r -> r.sourceTime().getEpochSecond(), Collectors.toCollection(TreeSet::new))));
        seconds.forEach((series, present) -> {
            List<Long> missing = new ArrayList<>();
            for (long s = present.first(); s <= present.last(); s++) {
                if (!present.contains(s)) {
                    missing.add(s);
                }
            }
            assertThat(missing).as("seconds missing in " + series).isEmpty();
        });
    }
}
