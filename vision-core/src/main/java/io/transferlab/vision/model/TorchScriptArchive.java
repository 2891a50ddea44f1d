package io.transferlab.vision.model;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes small TorchScript modules without Python: a zip with the module's code ({@code code/__torch__.py}), its
 * attributes pickled in {@code data.pkl} (parameters as persistent references to raw float32 storages in
 * {@code data/<n>}), {@code constants.pkl} and {@code version}, the layout {@code torch.jit.save} produces. Used
 * for operations DJL's NDArray does not offer (fused optimizer steps) and by the tests, since CI has no PyTorch
 * for Python.
 */
public final class TorchScriptArchive {

    private final String className;
    private final Map<String, long[]> parameters = new LinkedHashMap<>();
    private final Map<String, float[]> values = new LinkedHashMap<>();
    /** Tensors registered as buffers (state such as batch-norm running statistics): no gradient, not trained. */
    private final Set<String> buffers = new HashSet<>();
    private final List<String> forward = new ArrayList<>();
    private final List<String> inputs = new ArrayList<>();

    public TorchScriptArchive(String className) {
        this.className = className;
    }

    /**
     * The forward method's arguments, in order; a single tensor {@code x} unless set. Each is a tensor, or a name
     * with its TorchScript type ({@code "ws: List[Tensor]"}).
     */
    public TorchScriptArchive inputs(String... names) {
        inputs.clear();
        inputs.addAll(List.of(names));
        return this;
    }

    /** A parameter of the given shape, drawn uniformly in +-scale from {@code seed}. */
    public TorchScriptArchive parameter(String name, long seed, double scale, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] v = new float[Math.toIntExact(n)];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
        }
        parameters.put(name, shape);
        values.put(name, v);
        return this;
    }

    /**
     * A buffer of the given shape filled with {@code value}: module state that is saved with it but is not a
     * parameter (batch norm's running mean and variance), as PyTorch's {@code register_buffer}.
     */
    public TorchScriptArchive buffer(String name, float value, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] v = new float[Math.toIntExact(n)];
        Arrays.fill(v, value);
        parameters.put(name, shape);
        values.put(name, v);
        buffers.add(name);
        return this;
    }

    /** A line of the forward method's body (TorchScript's Python subset), indented by the writer. */
    public TorchScriptArchive line(String code) {
        forward.add(code);
        return this;
    }

    public void write(Path file) throws IOException {
        String root = "archive/";
        try (OutputStream raw = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(raw)) {
            stored(zip, root + "data.pkl", dataPickle());
            stored(zip, root + "code/__torch__.py", code().getBytes(StandardCharsets.UTF_8));
            stored(zip, root + "constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
            stored(zip, root + "version", "3\n".getBytes(StandardCharsets.US_ASCII));
            int key = 0;
            for (float[] v : values.values()) {
                ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (float f : v) {
                    b.putFloat(f);
                }
                stored(zip, root + "data/" + key++, b.array());
            }
        }
    }

    private String code() {
        StringBuilder sb = new StringBuilder();
        sb.append("class ").append(className).append("(Module):\n");
        sb.append("  __parameters__ = [");
        for (String name : parameters.keySet()) {
            if (!buffers.contains(name)) {
                sb.append('"').append(name).append("\", ");
            }
        }
        sb.append("]\n  __buffers__ = [");
        for (String name : parameters.keySet()) {
            if (buffers.contains(name)) {
                sb.append('"').append(name).append("\", ");
            }
        }
        sb.append("]\n");
        for (String name : parameters.keySet()) {
            sb.append("  ").append(name).append(" : Tensor\n");
        }
        sb.append("  training : bool\n");
        sb.append("  def forward(self: __torch__.").append(className);
        for (String input : inputs.isEmpty() ? List.of("x") : inputs) {
            sb.append(",\n    ").append(input.contains(":") ? input : input + ": Tensor");
        }
        sb.append(") -> Tensor:\n");
        for (String l : forward) {
            sb.append("    ").append(l).append('\n');
        }
        return sb.toString();
    }

    private byte[] dataPickle() {
        Pickle p = new Pickle();
        p.op(0x80).op(2);
        p.global("__torch__", className).op(')').op(0x81).op('}').op('(');
        int key = 0;
        for (Map.Entry<String, long[]> e : parameters.entrySet()) {
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
            // requires_grad: true for parameters, false for buffers
            p.op(buffers.contains(e.getKey()) ? 0x89 : 0x88);
            p.global("collections", "OrderedDict").op(')').op('R');
            p.op('t').op('R');
        }
        p.unicode("training").op(0x89);
        p.op('u').op('b').op('.');
        return p.bytes();
    }

    private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(data.length);
        entry.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(data);
        zip.closeEntry();
    }

    /** The few pickle (protocol 2) opcodes TorchScript's data.pkl uses. */
    private static final class Pickle {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pickle op(int code) {
            out.write(code);
            return this;
        }

        Pickle global(String module, String name) {
            out.write('c');
            out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
            return this;
        }

        Pickle unicode(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.write('X');
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
            out.writeBytes(b);
            return this;
        }

        Pickle integer(long v) {
            if (v >= 0 && v < 256) {
                out.write('K');
                out.write((int) v);
            } else {
                out.write('J');
                out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(Math.toIntExact(v)).array());
            }
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
