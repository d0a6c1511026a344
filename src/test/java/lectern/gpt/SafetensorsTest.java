package lectern.gpt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SafetensorsTest {

    @Test
    void writesTheExactSafetensorsLayout(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("t.safetensors");
        Safetensors.write(file, List.of(
                new Safetensors.Tensor("a", new int[] {2}, new float[] {1f, -2f}),
                new Safetensors.Tensor("b.w", new int[] {1, 1}, new float[] {9f, 0.5f}, 1)), Map.of("format", "pt"));
        byte[] bytes = Files.readAllBytes(file);
        String json = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b.w\":{\"dtype\":\"F32\",\"shape\":[1,1],\"data_offsets\":[8,12]}}";
        String padded = json + " ".repeat((8 - json.length() % 8) % 8);
        ByteBuffer expected = ByteBuffer.allocate(8 + padded.length() + 12).order(ByteOrder.LITTLE_ENDIAN);
        expected.putLong(padded.length()).put(padded.getBytes(StandardCharsets.US_ASCII));
        expected.putFloat(1f).putFloat(-2f).putFloat(0.5f);
        assertArrayEquals(expected.array(), bytes);
        assertEquals(0, padded.length() % 8);
    }

    @Test
    void roundTripsTensorsAndMetadata(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("t.safetensors");
        float[] big = new float[3 * 70_001];
        for (int i = 0; i < big.length; i++) {
            big[i] = (float) Math.sin(i) * 1e3f;
        }
        big[5] = Float.MIN_VALUE;
        big[6] = -0f;
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        metadata.put("note", "ünïcödé ✓");
        Safetensors.write(file, List.of(
                new Safetensors.Tensor("transformer.h.0.attn.c_attn.weight", new int[] {3, 70_001}, big),
                new Safetensors.Tensor("scalar", new int[] {}, new float[] {42f})), metadata);
        Safetensors.Contents contents = Safetensors.read(file);
        assertEquals(metadata, contents.metadata());
        assertEquals(List.of("transformer.h.0.attn.c_attn.weight", "scalar"), List.copyOf(contents.tensors().keySet()));
        Safetensors.Tensor t = contents.require("transformer.h.0.attn.c_attn.weight");
        assertArrayEquals(new int[] {3, 70_001}, t.shape());
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(t.values()[6]));
        assertArrayEquals(big, t.values());
        assertEquals(42f, contents.require("scalar").values()[0]);
        assertEquals(0, contents.require("scalar").shape().length);
    }

    @Test
    void rejectsOtherDtypesWithAClearMessage(@TempDir Path dir) throws Exception {
        String json = "{\"x\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,2]}}";
        ByteBuffer b = ByteBuffer.allocate(8 + json.length() + 2).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length()).put(json.getBytes(StandardCharsets.US_ASCII)).putShort((short) 0x3C00);
        Path file = dir.resolve("half.safetensors");
        Files.write(file, b.array());
        Exception e = assertThrows(java.io.IOException.class, () -> Safetensors.read(file));
        assertEquals(true, e.getMessage().contains("F16"), e.getMessage());
    }

    @Test
    void headerIsPaddedToEightBytes() throws Exception {
        for (int n = 1; n < 12; n++) {
            byte[] header = Safetensors.header(List.of(new Safetensors.Tensor("x".repeat(n), new int[] {1}, new float[1])),
                    Map.of());
            assertEquals(0, header.length % 8, Arrays.toString(header));
        }
    }
}
