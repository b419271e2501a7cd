package io.busbar.connectors.opcua.browse;

/** Told how far browsing got, after every browse request; called on the browsing thread. */
@FunctionalInterface
public interface BrowseProgress {

    BrowseProgress NONE = (nodesVisited, variablesFound) -> { };

    /**
     * @param nodesVisited   objects and variables found so far
     * @param variablesFound of which variables
     */
    void onProgress(int nodesVisited, int variablesFound);
}
