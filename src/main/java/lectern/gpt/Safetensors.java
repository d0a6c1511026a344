package lectern.gpt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors file format (huggingface/safetensors), float32 only:
 * <pre>
 * [8 bytes]  N, the header length, unsigned little-endian
 * [N bytes]  JSON header, padded with spaces to a multiple of 8:
 *            {"__metadata__":{"k":"v"},"name":{"dtype":"F32","shape":[3,2],"data_offsets":[0,24]},...}
 * [rest]     tensor data, little-endian, each tensor at data_offsets relative to the end of the header
 * </pre>
 * PyTorch reads these files with {@code safetensors.torch.load_file}; they are also easy to read by hand.
 */
public final class Safetensors {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Safetensors() {
    }

    /** A float32 tensor: {@code size()} values of {@code data} starting at {@code offset}, row-major. */
    public record Tensor(String name, int[] shape, float[] data, int offset) {
        public Tensor(String name, int[] shape, float[] data) {
            this(name, shape, data, 0);
        }

        public int size() {
            int n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }

        /** The values of this tensor as a new array. */
        public float[] values() {
            float[] copy = new float[size()];
            System.arraycopy(data, offset, copy, 0, copy.length);
            return copy;
        }
    }

    /** What a safetensors file holds: its tensors in file order and its metadata. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
        public Tensor require(String name) throws IOException {
            Tensor t = tensors.get(name);
            if (t == null) {
                throw new IOException("the safetensors file has no tensor named " + name);
            }
            return t;
        }
    }

    /** The header bytes (without the 8-byte length), padded with spaces to a multiple of 8. */
    public static byte[] header(List<Tensor> tensors, Map<String, String> metadata) throws IOException {
        StringBuilder json = new StringBuilder("{");
        boolean first = true;
        if (metadata != null && !metadata.isEmpty()) {
            json.append("\"__metadata__\":").append(JSON.writeValueAsString(metadata));
            first = false;
        }
        long begin = 0;
        for (Tensor t : tensors) {
            long end = begin + 4L * t.size();
            if (!first) {
                json.append(',');
            }
            first = false;
            json.append(JSON.writeValueAsString(t.name())).append(":{\"dtype\":\"F32\",\"shape\":[");
            for (int i = 0; i < t.shape().length; i++) {
                json.append(i == 0 ? "" : ",").append(t.shape()[i]);
            }
            json.append("],\"data_offsets\":[").append(begin).append(',').append(end).append("]}");
            begin = end;
        }
        json.append('}');
        byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);
        byte[] padded = java.util.Arrays.copyOf(bytes, (bytes.length + 7) / 8 * 8);
        java.util.Arrays.fill(padded, bytes.length, padded.length, (byte) ' ');
        return padded;
    }

    public static void write(Path file, List<Tensor> tensors, Map<String, String> metadata) throws IOException {
        byte[] header = header(tensors, metadata);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        // Write to a temporary name and move, so a crash mid-write never leaves a truncated checkpoint.
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(partial), 1 << 20)) {
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
            out.write(length.array());
            out.write(header);
            ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (Tensor t : tensors) {
                int n = t.size();
                if (t.offset() + n > t.data().length) {
                    throw new IllegalArgumentException("tensor " + t.name() + " needs " + n + " values from offset "
                            + t.offset() + " but its array holds " + t.data().length);
                }
                for (int i = 0; i < n; i++) {
                    if (buffer.remaining() < 4) {
                        out.write(buffer.array(), 0, buffer.position());
                        buffer.clear();
                    }
                    buffer.putFloat(t.data()[t.offset() + i]);
                }
            }
            out.write(buffer.array(), 0, buffer.position());
        }
        Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    public static Contents read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = channel.size();
            if (fileSize < 8) {
                throw new IOException(file + " is too short to be a safetensors file");
            }
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(lengthBytes, 0);
            long headerLength = lengthBytes.flip().getLong();
            if (headerLength <= 0 || 8 + headerLength > fileSize || headerLength > 100_000_000) {
                throw new IOException(file + " has an invalid safetensors header length " + headerLength);
            }
            ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
            channel.read(headerBytes, 8);
            JsonNode header = JSON.readTree(new String(headerBytes.array(), StandardCharsets.UTF_8));
            long dataStart = 8 + headerLength;
            MappedByteBuffer data = channel.map(FileChannel.MapMode.READ_ONLY, dataStart, fileSize - dataStart);
            data.order(ByteOrder.LITTLE_ENDIAN);

            Map<String, String> metadata = new LinkedHashMap<>();
            List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    e.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                } else {
                    entries.add(e);
                }
            }
            entries.sort((a, b) -> Long.compare(a.getValue().path("data_offsets").path(0).asLong(),
                    b.getValue().path("data_offsets").path(0).asLong()));
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : entries) {
                String name = e.getKey();
                JsonNode info = e.getValue();
                String dtype = info.path("dtype").asText();
                if (!dtype.equals("F32")) {
                    throw new IOException("tensor " + name + " in " + file + " is " + dtype
                            + "; Lectern reads F32 only (save with tensor.float())");
                }
                JsonNode shapeNode = info.path("shape");
                int[] shape = new int[shapeNode.size()];
                long count = 1;
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = shapeNode.get(i).asInt();
                    count *= shape[i];
                }
                long begin = info.path("data_offsets").path(0).asLong();
                long end = info.path("data_offsets").path(1).asLong();
                if (end - begin != 4 * count || end > data.capacity() || begin < 0) {
                    throw new IOException("tensor " + name + " in " + file + " has data_offsets [" + begin + "," + end
                            + "] that do not fit its shape or the file");
                }
                float[] values = new float[(int) count];
                FloatBuffer floats = data.slice((int) begin, (int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
                floats.get(values);
                tensors.put(name, new Tensor(name, shape, values));
            }
            return new Contents(tensors, metadata);
        }
    }
}
