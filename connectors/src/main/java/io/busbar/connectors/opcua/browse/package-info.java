/**
 * Browsing an OPC UA server's address space: {@link io.busbar.connectors.opcua.browse.AddressSpaceBrowser}
 * finds the variables below a node (for {@code busbar discover}) or every node below browse-path
 * prefixes (to resolve browse templates of a mapping), and
 * {@link io.busbar.connectors.opcua.browse.MappingSkeleton} turns what was found into a mapping file to
 * start from.
 */
package io.busbar.connectors.opcua.browse;
