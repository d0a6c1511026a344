package lectern.gpt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TokenFileTest {

    @Test
    void roundTripsUint16LittleEndian(@TempDir Path dir) throws Exception {
        int[] tokens = {0, 1, 255, 256, 4095, 65535, 12345};
        Path file = dir.resolve("t.bin");
        TokenFile.write(file, tokens);
        byte[] bytes = Files.readAllBytes(file);
        assertEquals(14, bytes.length);
        assertEquals((byte) 0x00, bytes[6]); // 256 = 0x0100, little-endian
        assertEquals((byte) 0x01, bytes[7]);
        TokenFile read = TokenFile.open(file);
        assertEquals(tokens.length, read.length());
        assertArrayEquals(tokens, read.readAll());
        assertThrows(IllegalArgumentException.class, () -> TokenFile.write(dir.resolve("bad.bin"), new int[] {65536}));
    }

    @Test
    void trainingBatchesDependOnlyOnSeedAndStep(@TempDir Path dir) throws Exception {
        int[] tokens = new int[1000];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = i % 500;
        }
        Path file = dir.resolve("t.bin");
        TokenFile.write(file, tokens);
        DataLoader a = new DataLoader(TokenFile.open(file), 4, 8, 42);
        DataLoader b = new DataLoader(TokenFile.open(file), 4, 8, 42);
        int[] in1 = new int[32], tg1 = new int[32], in2 = new int[32], tg2 = new int[32];
        a.trainingBatch(7, in1, tg1);
        b.trainingBatch(3, in2, tg2);
        b.trainingBatch(7, in2, tg2);
        assertArrayEquals(in1, in2);
        assertArrayEquals(tg1, tg2);
        for (int r = 0; r < 4; r++) {
            for (int t = 0; t < 8; t++) {
                assertEquals((in1[r * 8 + t] + 1) % 500, tg1[r * 8 + t]); // targets are the next tokens
            }
        }
        a.trainingBatch(8, in2, tg2);
        assertFalse(Arrays.equals(in1, in2));
        new DataLoader(TokenFile.open(file), 4, 8, 43).trainingBatch(7, in2, tg2);
        assertFalse(Arrays.equals(in1, in2));
    }

    @Test
    void evaluationWindowsCoverEveryTargetOnce(@TempDir Path dir) throws Exception {
        int[] tokens = new int[23];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = i;
        }
        Path file = dir.resolve("t.bin");
        TokenFile.write(file, tokens);
        DataLoader loader = new DataLoader(TokenFile.open(file), 2, 5, 0);
        assertEquals(5, loader.evaluationWindows());
        int seen = 0;
        for (int w = 0; w < loader.evaluationWindows(); w++) {
            DataLoader.Window window = loader.evaluationWindow(w);
            for (int i = 0; i < window.length(); i++) {
                assertEquals(w * 5 + i, window.inputs()[i]);
                assertEquals(w * 5 + i + 1, window.targets()[i]);
                seen++;
            }
        }
        assertEquals(22, seen);
        assertEquals(2, loader.evaluationWindow(4).length());
        assertNull(loader.evaluationWindow(5));
    }
}
