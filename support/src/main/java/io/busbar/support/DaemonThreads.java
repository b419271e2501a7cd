package io.busbar.support;

import java.util.concurrent.ThreadFactory;

/**
 * Busbar's background threads: named, so a thread dump or a per-thread CPU reading says whose they
 * are, and daemons, so a forgotten one never keeps a stopping JVM alive.
 */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    /** Every thread it makes has this name: an executor with several threads shows them as one group in a dump. */
    public static ThreadFactory named(String name) {
        return task -> create(name, task);
    }

    public static Thread start(String name, Runnable task) {
        Thread thread = create(name, task);
        thread.start();
        return thread;
    }

    private static Thread create(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }
}
