package io.busbar.mappings;

import io.busbar.mappings.yaml.LocatedDocument;
import io.busbar.mappings.yaml.Position;
import io.busbar.mappings.yaml.Problem;
import java.util.Map;

/**
 * Where a mapped node was written, kept by a compiled mapping after its file's parsed document is
 * let go: just enough to report the node mapped again in another file of the pair (or in a meter a
 * browse template expands later). A mapping file of 100,000 written-out registers parses to a tree
 * with a position for every key (over 2 KB per register); this keeps about a tenth of that.
 *
 * @param file     the mapping file, as shown in problems
 * @param pointer  JSON pointer of the register
 * @param browse   whether the register names its node by browse path rather than {@code node:}
 * @param line     the line of the register (of its meter or template for an expansion)
 * @param nodeAt   where the node (or browse path) of the register is written
 * @param bindings the template variables, null for a meter written out
 */
record NodeOrigin(String file, String pointer, boolean browse, int line, Position nodeAt, Map<String, String> bindings) {

    static NodeOrigin of(Origin origin) {
        LocatedDocument document = origin.document();
        String nodeKey = origin.nodeKey();
        return new NodeOrigin(document.file(), origin.pointer(), nodeKey.equals("/browse"),
                document.positionOf(origin.pointer()).line(), document.positionOf(origin.pointer() + nodeKey),
                origin.bindings());
    }

    /** The same text as {@link Origin#describe(String)}. */
    String describe(String fromFile) {
        StringBuilder out = new StringBuilder();
        if (!file.equals(fromFile)) {
            out.append(file).append(' ');
        }
        out.append(LocatedDocument.dottedPath(pointer)).append(" (line ").append(line);
        if (bindings != null) {
            out.append(", ").append(Placeholders.describe(bindings));
        }
        return out.append(')').toString();
    }

    /** "node … is already mapped at …", located at this register's node key. */
    Problem mappedAgain(String nodeId, NodeOrigin first) {
        String given = bindings == null ? "" : " (" + Placeholders.describe(bindings) + ")";
        return new Problem(file, nodeAt.line(), nodeAt.column(),
                LocatedDocument.dottedPath(pointer + (browse ? "/browse" : "/node")),
                "node " + nodeId + given + " is already mapped at " + first.describe(file));
    }
}
