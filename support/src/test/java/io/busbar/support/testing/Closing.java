package io.busbar.support.testing;

import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a test started and must stop however it ends, in place of an {@code @AfterEach} that checks
 * each field for null. Register with {@code @RegisterExtension} and pass each server, client or
 * context through {@link #add} as it starts: after the test they are closed newest first (Busbar
 * before the server it reads), and a failing close does not keep the others open.
 */
public final class Closing implements AfterEachCallback {

    private final Deque<AutoCloseable> open = new ArrayDeque<>();

    /** @return {@code resource}, to assign where it is started */
    public <T extends AutoCloseable> T add(T resource) {
        open.push(resource);
        return resource;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        Exception failure = null;
        while (!open.isEmpty()) {
            try {
                open.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
