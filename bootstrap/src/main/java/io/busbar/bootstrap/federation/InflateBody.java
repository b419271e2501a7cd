package io.busbar.bootstrap.federation;

import java.io.ByteArrayOutputStream;
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
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(deflated);
            ByteArrayOutputStream out = new ByteArrayOutputStream(deflated.length * 8);
            byte[] buffer = new byte[16384];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IllegalArgumentException("truncated deflate body (" + deflated.length + " bytes)");
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("body is not deflate data: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }
}
