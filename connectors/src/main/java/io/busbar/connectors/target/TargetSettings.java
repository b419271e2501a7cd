package io.busbar.connectors.target;

/** The validated settings of one named target; each target type has its own record. */
public interface TargetSettings {

    /** The target's name from the configuration; used in queue names, route ids and metric tags. */
    String name();

    /** The {@code type} value in the configuration, e.g. {@code file}. */
    String type();
}
