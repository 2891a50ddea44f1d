package io.transferlab.testsupport.torchvision;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a state dict as {@code torch.save} does (zip format, pickle protocol 2), for tests: each tensor a float32
 * storage {@code <name>/data/<i>} rebuilt by {@code torch._utils._rebuild_tensor_v2}, batch norms with an int64
 * {@code num_batches_tracked}. Python's {@code torch.load} reads what this writes (same opcodes, same layout).
 */
public final class TorchCheckpointWriter {

    private final Map<String, long[]> shapes = new LinkedHashMap<>();
    private final Map<String, float[]> values = new LinkedHashMap<>();
    private final Map<String, String> extraGlobals = new LinkedHashMap<>();

    public TorchCheckpointWriter tensor(String name, long[] shape, float[] data) {
        shapes.put(name, shape);
        values.put(name, data);
        return this;
    }

    /** Adds random values of these shapes. */
    public TorchCheckpointWriter random(Map<String, long[]> tensors, long seed) {
        Random random = new Random(seed);
        tensors.forEach((name, shape) -> {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            float[] data = new float[Math.toIntExact(n)];
            boolean variance = name.endsWith("running_var");
            for (int i = 0; i < data.length; i++) {
                data[i] = variance ? 0.5f + random.nextFloat() : (random.nextFloat() - 0.5f) * 0.1f;
            }
            tensor(name, shape, data);
        });
        return this;
    }

    /** Makes the pickle name a global torch.load would import and call (a test of refusal). */
    public TorchCheckpointWriter hostileGlobal(String module, String name) {
        extraGlobals.put(module, name);
        return this;
    }

    public float[] values(String name) {
        return values.get(name);
    }

    public byte[] toBytes() throws IOException {
        ByteArrayOutputStream zipBytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(zipBytes)) {
            entry(zip, "archive/data.pkl", pickle());
            entry(zip, "archive/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
            int key = 0;
            for (Map.Entry<String, float[]> e : values.entrySet()) {
                ByteBuffer b = ByteBuffer.allocate(e.getValue().length * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (float f : e.getValue()) {
                    b.putFloat(f);
                }
                entry(zip, "archive/data/" + key++, b.array());
            }
            entry(zip, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
        return zipBytes.toByteArray();
    }

    private static void entry(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    private byte[] pickle() {
        Pickle p = new Pickle();
        p.op(0x80).op(2);
        p.global("collections", "OrderedDict").op(')').op('R');
        p.op('(');
        int key = 0;
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            long[] shape = e.getValue();
            p.unicode(e.getKey());
            p.global("torch._utils", "_rebuild_tensor_v2");
            p.op('(');
            p.op('(').unicode("storage").global("torch", "FloatStorage").unicode(String.valueOf(key++))
                    .unicode("cpu").integer(values.get(e.getKey()).length).op('t').op('Q');
            p.integer(0);
            p.op('(');
            for (long d : shape) {
                p.integer(d);
            }
            p.op('t');
            p.op('(');
            long stride = 1;
            long[] strides = new long[shape.length];
            for (int i = shape.length - 1; i >= 0; i--) {
                strides[i] = stride;
                stride *= shape[i];
            }
            for (long s : strides) {
                p.integer(s);
            }
            p.op('t');
            p.op(0x89);
            p.global("collections", "OrderedDict").op(')').op('R');
            p.op('t').op('R');
        }
        extraGlobals.forEach((module, name) -> p.unicode("payload").global(module, name).unicode("echo").op(0x85)
                .op('R'));
        p.op('u');
        p.op('.');
        return p.out.toByteArray();
    }

    private static final class Pickle {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pickle op(int code) {
            out.write(code);
            return this;
        }

        Pickle global(String module, String name) {
            op('c');
            out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
            return this;
        }

        Pickle unicode(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            op('X');
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
            out.writeBytes(b);
            return this;
        }

        Pickle integer(long v) {
            op('J');
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(Math.toIntExact(v)).array());
            return this;
        }
    }
}
