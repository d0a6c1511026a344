package lectern.gpt;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A token file: token ids as flat little-endian unsigned 16-bit integers, no header (the same layout as
 * nanoGPT's {@code train.bin}, so {@code numpy.memmap(path, dtype=np.uint16)} reads it). Read through a
 * memory map, so opening a large file costs nothing.
 */
public final class TokenFile {

    private final Path path;
    private final ShortBuffer tokens;

    private TokenFile(Path path, ShortBuffer tokens) {
        this.path = path;
        this.tokens = tokens;
    }

    public static TokenFile open(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size % 2 != 0) {
                throw new IOException(path + " has an odd number of bytes (" + size + "); a token file holds uint16 values");
            }
            if (size > Integer.MAX_VALUE) {
                throw new IOException(path + " is larger than 2 GiB; split it into smaller token files");
            }
            MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
            return new TokenFile(path, map.order(ByteOrder.LITTLE_ENDIAN).asShortBuffer());
        }
    }

    public Path path() {
        return path;
    }

    /** Number of tokens in the file. */
    public int length() {
        return tokens.limit();
    }

    public int get(int index) {
        return tokens.get(index) & 0xFFFF;
    }

    /** Copies {@code count} tokens starting at {@code start} into {@code dst[offset..]}. */
    public void read(int start, int[] dst, int offset, int count) {
        for (int i = 0; i < count; i++) {
            dst[offset + i] = tokens.get(start + i) & 0xFFFF;
        }
    }

    public int[] readAll() {
        int[] all = new int[length()];
        read(0, all, 0, all.length);
        return all;
    }

    public static void write(Path path, int[] tokens) throws IOException {
        write(path, tokens, 0, tokens.length);
    }

    public static void write(Path path, int[] tokens, int from, int to) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(path), 1 << 16)) {
            ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = from; i < to; i++) {
                int t = tokens[i];
                if (t < 0 || t > 0xFFFF) {
                    throw new IllegalArgumentException("token " + t + " at position " + i + " does not fit in uint16");
                }
                if (!buffer.hasRemaining()) {
                    out.write(buffer.array(), 0, buffer.position());
                    buffer.clear();
                }
                buffer.putShort((short) t);
            }
            out.write(buffer.array(), 0, buffer.position());
        }
    }
}
