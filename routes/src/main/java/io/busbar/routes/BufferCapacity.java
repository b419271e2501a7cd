package io.busbar.routes;

/**
 * Whether the durable buffer may take more readings. When it may not, ingest refuses new batches:
 * the source pair keeps its watermark and reads the refused time from history once there is room
 * again — back-pressure instead of a silent drop.
 */
@FunctionalInterface
public interface BufferCapacity {

    BufferCapacity UNLIMITED = () -> true;

    boolean hasRoom();

    /** Thrown by ingest when the buffer is full. */
    final class BufferFullException extends RuntimeException {
        public BufferFullException(String message) {
            super(message);
        }
    }
}
