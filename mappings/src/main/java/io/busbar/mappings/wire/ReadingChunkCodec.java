package io.busbar.mappings.wire;

import io.busbar.mappings.model.Accumulation;
import io.busbar.mappings.model.Medium;
import io.busbar.mappings.model.Quality;
import io.busbar.mappings.model.Reading;
import io.busbar.mappings.model.ReadingKey;
import io.busbar.mappings.model.ServerRole;
import io.busbar.mappings.model.ValidationStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The compact binary form of a batch of readings, as the durable buffer stores them: what ingest
 * writes once and delivery reads once. JSON stays the targets' format ({@link ReadingCodec}); a
 * target that needs it encodes each reading once, on delivery.
 *
 * <p>Why not JSON in the buffer: encoding every reading to JSON on ingest and parsing it again on
 * delivery was the largest single cost per reading in the benchmark (a third of Busbar's CPU). This
 * form is a straight copy of the record's fields: times and decimals as integers, texts that repeat
 * within a chunk (pair, meter, quantity, unit, attributes) written once and then referenced.
 *
 * <h2>Layout, version 2</h2>
 * <pre>
 * chunk    = MAGIC(0xBB 0x52) version(2) count:varint reading*count
 * reading  = key pair:ref server:u8 meter:ref quantity:ref value:dec unit:ref raw:dec
 *            sourceTime:time serverTime:(u8 0 | u8 1 time) quality:u8 status:varlong
 *            validation:u8 flags:list serial:ref account:ref address:ref groups:list
 *            medium:u8 accumulation:u8 tariff:ref
 * key      = u8 0 (the key {@link ReadingKey} derives from pair, meter, quantity and source time) | u8 1 str
 * str      = length:varint UTF-8 bytes
 * ref      = varint: 0 null, 1 a new text (str) that later refs name by its index + 2
 * list     = count:varint ref*count
 * dec      = u8 0 null | u8 1 unscaled:zigzag-varlong scale:zigzag-varint | u8 2 str (toString form)
 * time     = epochSecond:zigzag-varlong nanos:varint
 * u8 enums = 0 null, else 1 + the value's index in the code tables below (append only)
 * </pre>
 * Version 1 wrote every key as {@code key:str}: about half of a reading's bytes repeated what the
 * other fields say. Version 2 stores a key only when it is not the derived one (readings are mapped
 * with derived keys; a key from elsewhere is kept as it is). {@link #decode} reads both, so a
 * journal written before the upgrade still drains.
 *
 * <p>A later version changes {@link #VERSION}; {@link #decode} refuses versions it does not know, so
 * the message stays in the buffer (or is dead-lettered) instead of being misread.
 */
public final class ReadingChunkCodec {

    /** The first two bytes of a binary chunk; a JSON batch starts with {@code [} or white space. */
    static final byte MAGIC_0 = (byte) 0xBB;
    static final byte MAGIC_1 = (byte) 0x52;
    public static final int VERSION = 2;
    /** The first version: every key written out. */
    static final int VERSION_KEYS_WRITTEN = 1;

    // code tables: a value's code is 1 + its index; only ever append
    private static final ServerRole[] SERVERS = {ServerRole.PRIMARY, ServerRole.SECONDARY};
    private static final Quality[] QUALITIES = {Quality.GOOD, Quality.UNCERTAIN, Quality.BAD};
    private static final ValidationStatus[] VALIDATIONS = {ValidationStatus.RAW, ValidationStatus.VALID,
            ValidationStatus.QUESTIONABLE, ValidationStatus.ESTIMATED, ValidationStatus.EDITED};
    private static final Medium[] MEDIA = {Medium.ELECTRICITY, Medium.HEAT, Medium.GAS, Medium.WATER_COLD,
            Medium.WATER_HOT, Medium.OTHER};
    private static final Accumulation[] ACCUMULATIONS = {Accumulation.REGISTER, Accumulation.INTERVAL,
            Accumulation.INSTANTANEOUS};

    private ReadingChunkCodec() {
    }

    /** Whether {@code body} is a binary chunk (else it is a JSON batch of an earlier version). */
    public static boolean isChunk(byte[] body) {
        return body.length >= 2 && body[0] == MAGIC_0 && body[1] == MAGIC_1;
    }

    /** A buffered batch in either form: a binary chunk, or the JSON array earlier versions wrote. */
    public static List<Reading> decodeAny(byte[] body) {
        return isChunk(body) ? decode(body) : ReadingCodec.fromJsonBatch(body);
    }

    public static byte[] encode(List<Reading> readings) {
        return encode(readings, VERSION);
    }

    /** In the given version: the current one, or version 1 (tests of the upgrade path). */
    static byte[] encode(List<Reading> readings, int version) {
        if (version != VERSION && version != VERSION_KEYS_WRITTEN) {
            throw new IllegalArgumentException("cannot write binary chunk version " + version);
        }
        ChunkWriter out = new ChunkWriter(readings.size() * 64 + 8);
        out.u8(MAGIC_0);
        out.u8(MAGIC_1);
        out.u8(version);
        out.varlong(readings.size());
        for (Reading r : readings) {
            if (version == VERSION_KEYS_WRITTEN) {
                out.str(r.key());
            } else if (ReadingKey.isDerived(r.key(), r.pair(), r.meter(), r.quantity(), r.sourceTime())) {
                out.u8(0);
            } else {
                out.u8(1);
                out.str(r.key());
            }
            out.ref(r.pair());
            out.u8(code(SERVERS, r.server()));
            out.ref(r.meter());
            out.ref(r.quantity());
            out.decimal(r.value());
            out.ref(r.unit());
            out.decimal(r.raw());
            out.time(r.sourceTime());
            if (r.serverTime() == null) {
                out.u8(0);
            } else {
                out.u8(1);
                out.time(r.serverTime());
            }
            out.u8(code(QUALITIES, r.quality()));
            out.varlong(r.status());
            out.u8(code(VALIDATIONS, r.validation()));
            out.list(r.flags());
            out.ref(r.serial());
            out.ref(r.account());
            out.ref(r.address());
            out.list(r.groups());
            out.u8(code(MEDIA, r.medium()));
            out.u8(code(ACCUMULATIONS, r.accumulation()));
            out.ref(r.tariff());
        }
        return out.toByteArray();
    }

    /** @throws IllegalArgumentException when the body is not a chunk of a known version, or is cut short */
    public static List<Reading> decode(byte[] body) {
        if (!isChunk(body)) {
            throw new IllegalArgumentException("not a binary reading chunk");
        }
        if (body.length < 3 || (body[2] != VERSION && body[2] != VERSION_KEYS_WRITTEN)) {
            throw new IllegalArgumentException("binary reading chunk of unknown version "
                    + (body.length < 3 ? "(none)" : Integer.toString(body[2] & 0xFF)) + "; this build reads "
                    + VERSION_KEYS_WRITTEN + " to " + VERSION);
        }
        boolean keysWritten = body[2] == VERSION_KEYS_WRITTEN;
        ChunkReader in = new ChunkReader(body, 3);
        try {
            long count = in.varlong();
            if (count < 0 || count > body.length) {
                throw new IllegalArgumentException("binary reading chunk with an impossible count " + count);
            }
            List<Reading> readings = new ArrayList<>((int) count);
            for (long i = 0; i < count; i++) {
                String key = keysWritten ? in.str() : in.key();
                String pair = in.ref();
                ServerRole server = value(SERVERS, in.u8());
                String meter = in.ref();
                String quantity = in.ref();
                BigDecimal value = in.decimal();
                String unit = in.ref();
                BigDecimal raw = in.decimal();
                Instant sourceTime = in.time();
                Instant serverTime = in.u8() == 0 ? null : in.time();
                Quality quality = value(QUALITIES, in.u8());
                long status = in.varlong();
                ValidationStatus validation = value(VALIDATIONS, in.u8());
                List<String> flags = in.list();
                String serial = in.ref();
                String account = in.ref();
                String address = in.ref();
                List<String> groups = in.list();
                Medium medium = value(MEDIA, in.u8());
                Accumulation accumulation = value(ACCUMULATIONS, in.u8());
                String tariff = in.ref();
                if (key == null) {
                    key = in.derivedKey(pair, meter, quantity, sourceTime);
                }
                readings.add(new Reading(key, pair, server, meter, quantity, value, unit, raw, sourceTime, serverTime,
                        quality, status, validation, flags, serial, account, address, groups, medium, accumulation,
                        tariff));
            }
            if (in.pos != body.length) {
                throw new IllegalArgumentException("binary reading chunk has " + (body.length - in.pos)
                        + " byte(s) after its " + count + " reading(s)");
            }
            return readings;
        } catch (ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("binary reading chunk cut short at byte " + in.pos, e);
        } catch (NullPointerException e) {
            throw new IllegalArgumentException("binary reading chunk lacks a required field: " + e.getMessage(), e);
        }
    }

    private static <T> int code(T[] table, T value) {
        if (value == null) {
            return 0;
        }
        for (int i = 0; i < table.length; i++) {
            if (table[i] == value) {
                return i + 1;
            }
        }
        throw new IllegalStateException(value + " has no code in the binary chunk format; append it to its table");
    }

    private static <T> T value(T[] table, int code) {
        if (code == 0) {
            return null;
        }
        if (code > table.length) {
            throw new IllegalArgumentException("unknown code " + code + " in a binary reading chunk");
        }
        return table[code - 1];
    }
}
