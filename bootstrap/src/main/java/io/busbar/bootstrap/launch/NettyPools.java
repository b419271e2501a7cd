package io.busbar.bootstrap.launch;

import java.util.Properties;

/**
 * Netty's pooled buffers (Milo's OPC UA client and server) in chunks of 1 MiB instead of 4 MiB.
 *
 * <p>Why: Netty allocates a whole chunk per arena at the first buffer, and an idle Busbar's heap
 * held four 4 MiB heap chunks (one per arena, two arenas per core). With a G1 region of 4 MiB, the
 * default for heaps above 4 GB, each such chunk is a humongous object that takes two regions: 32 MB
 * of heap for 16 MB of chunks, the largest objects of a {@code busbar run} of 20 meters (issue 12:
 * idle ≤ 300 MB RSS). A 1 MiB chunk is an ordinary object; the pool still adds chunks as load needs
 * them, and a buffer above 1 MiB (an OPC UA message is at most a few hundred KB per chunk) is
 * allocated unpooled.
 *
 * <p>Netty reads the property once, when its allocator class initialises, so this runs first in
 * {@code main}. A value given with {@code -Dio.netty.allocator.maxOrder} is kept.
 */
public final class NettyPools {

    static final String MAX_ORDER = "io.netty.allocator.maxOrder";
    /** Netty's 8 KiB pages shifted by 7: 1 MiB chunks (Netty's default 9 gives 4 MiB). */
    static final String ONE_MIB_CHUNKS = "7";

    private NettyPools() {
    }

    /** @return whether it set the chunk size (false when one was given) */
    public static boolean apply(Properties system) {
        if (system.getProperty(MAX_ORDER) != null) {
            return false;
        }
        system.setProperty(MAX_ORDER, ONE_MIB_CHUNKS);
        return true;
    }
}
