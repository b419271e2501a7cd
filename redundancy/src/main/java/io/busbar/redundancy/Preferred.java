package io.busbar.redundancy;

/**
 * Which server a source pair leans towards when it may choose. Only consulted when nothing else
 * decides: at a selection with no active server while both are healthy, and for failback.
 */
public enum Preferred {

    /** The primary: chosen when both are healthy, and the server a {@link Failback.After} returns to. */
    PRIMARY,

    /** Neither: the higher ServiceLevel wins a fresh selection and nothing ever fails back. */
    NONE
}
