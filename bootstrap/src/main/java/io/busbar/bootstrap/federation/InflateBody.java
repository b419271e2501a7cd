package io.busbar.bootstrap.federation;

import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.apache.activemq.artemis.api.core.ICoreMessage;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.core.server.transformer.Transformer;

/**
 * The central's transformer on each site's divert: restores a body the site deflated
 * ({@link DeflateBody}), so the central's journal and targets see the message as the site wrote it.
 */
public final class InflateBody implements Transformer {

    /**
     * One inflater and output buffer per broker thread, reset for each message: with a new
     * {@link Inflater} and a growing output stream per message this transformer took 13 % of the
     * central's broker thread and made a tenth of its allocation at 50 sites ({@code SiteScaleBench}).
     */
    private static final ThreadLocal<Inflater> INFLATERS = ThreadLocal.withInitial(Inflater::new);
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[64 * 1024]);

    @Override
    public Message transform(Message message) {
        if (!FederationLayout.DEFLATE.equals(message.getStringProperty(FederationLayout.ENCODING_PROPERTY))) {
            return message;
        }
        ICoreMessage core = message.toCore();
        DeflateBody.Bodies.replace(core, inflate(DeflateBody.Bodies.read(core)));
        core.removeProperty(FederationLayout.ENCODING_PROPERTY);
        return core;
    }

    static byte[] inflate(byte[] deflated) {
        Inflater inflater = INFLATERS.get();
        inflater.reset();
        inflater.setInput(deflated);
        byte[] out = SCRATCH.get();
        int length = 0;
        try {
            while (!inflater.finished()) {
                if (length == out.length) {
                    out = Arrays.copyOf(out, out.length * 2);
                    SCRATCH.set(out);
                }
                int n = inflater.inflate(out, length, out.length - length);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IllegalArgumentException("truncated deflate body (" + deflated.length + " bytes)");
                }
                length += n;
            }
            return Arrays.copyOf(out, length);
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("body is not deflate data: " + e.getMessage(), e);
        }
    }
}
