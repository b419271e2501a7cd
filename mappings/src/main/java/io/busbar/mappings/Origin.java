package io.busbar.mappings;

import io.busbar.mappings.yaml.LocatedDocument;
import io.busbar.mappings.yaml.Problem;
import java.util.Map;

/**
 * Where a meter or register of a compiled mapping was written: a place in a mapping file and, for
 * one expanded from a template, the template variables that made it.
 *
 * @param document the mapping file
 * @param pointer  JSON pointer of the meter, template or register
 * @param bindings the template variables, null for a meter written out
 */
record Origin(LocatedDocument document, String pointer, Map<String, String> bindings) {

    String path() {
        return LocatedDocument.dottedPath(pointer);
    }

    /** {@code meters[0] (line 2)}, {@code templates[1] (line 9, meter=0007)}, and the file when it is another one. */
    String describe(String fromFile) {
        StringBuilder out = new StringBuilder();
        if (!document.file().equals(fromFile)) {
            out.append(document.file()).append(' ');
        }
        out.append(path()).append(" (line ").append(document.positionOf(pointer).line());
        if (bindings != null) {
            out.append(", ").append(Placeholders.describe(bindings));
        }
        return out.append(')').toString();
    }

    /** {@code " (meter=0007)"} for an expansion, empty for a meter written out: appended to messages about it. */
    String given() {
        return bindings == null ? "" : " (" + Placeholders.describe(bindings) + ")";
    }

    /** For a register: the key its node is written under, {@code /node} or {@code /browse}. */
    String nodeKey() {
        return document.at(pointer + "/node").isMissingNode() ? "/browse" : "/node";
    }

    /** A problem at a key below this origin, e.g. {@code /id}, naming the expansion if any. */
    Problem problem(String relativePointer, String message) {
        return document.problemAt(pointer + relativePointer, message + given());
    }
}
