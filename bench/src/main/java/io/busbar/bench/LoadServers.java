package io.busbar.bench;

/** The primary and secondary load server processes of one phase, publishing {@code tags} every {@code intervalMs}. */
record LoadServers(JavaProcess primary, JavaProcess secondary, String primaryEndpoint, String secondaryEndpoint,
                   int tags, long intervalMs) {
}
