package io.busbar.routes.uplink;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/** The running uplink sources by name, for health. */
public final class UplinkSources {

    private final Map<String, UplinkSource> running = new ConcurrentSkipListMap<>();

    void register(UplinkSource source) {
        running.put(source.name(), source);
    }

    void unregister(UplinkSource source) {
        running.remove(source.name(), source);
    }

    public Collection<UplinkSource> all() {
        return running.values();
    }
}
