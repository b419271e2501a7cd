package io.busbar.connectors.opcua.browse;

import java.util.Objects;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.structured.ReferenceDescription;

/** What the browse steps read off a reference the same way. */
final class References {

    private References() {
    }

    /** Properties (HasProperty, PropertyType) describe a node; they are not variables of their own. */
    static boolean isProperty(ReferenceDescription reference) {
        return NodeIds.HasProperty.equals(reference.getReferenceTypeId())
                || reference.getTypeDefinition() != null && reference.getTypeDefinition().equals(NodeIds.PropertyType.expanded());
    }

    static String nameOf(Object browseName) {
        if (browseName instanceof QualifiedName name) {
            return Objects.requireNonNullElse(name.getName(), "");
        }
        return browseName == null ? "" : browseName.toString();
    }
}
