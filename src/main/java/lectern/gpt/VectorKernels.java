package lectern.gpt;

import java.util.Arrays;
import java.util.List;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Kernels on jdk.incubator.vector. Only loaded (by name, from {@link FloatKernels.KernelChoice}) when the module is
 * present. The matrix product is register-tiled: a 6-row by 4-vector block of C lives in 24 accumulators (of the 32
 * AVX-512 registers) while p runs over a block of K; B panels are reused from cache across the rows of a chunk.
 * On this machine 6x4 tiles beat 4x4 by roughly 10-15% (see {@link KernelBenchmark}).
 */
final class VectorKernels implements FloatKernels {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** K block: a KC x 4L panel of B (32 KiB at 512-bit vectors) stays in cache while the rows of a chunk stream by. */
    private static final int KC = 128;
    private static final ScalarKernels TAIL = new ScalarKernels();

    /**
     * Whether the JIT took our inlining directive: the helpers that pass vectors between methods are boxed on every
     * call unless inlined, and the kernels' entry points (arrays and numbers only) are compiled on their own so that
     * the helpers always fit (see ForcedInlining). False on a JVM without the means (the results are the same).
     */
    static final boolean INLINING_DIRECTIVE_TAKEN = requestInlining();

    private static boolean requestInlining() {
        try {
            return ForcedInlining.request(VectorKernels.class, List.of("exp", "expNearZero", "expForLogistic", "powerOfTwo"),
                    Arrays.stream(FloatKernels.class.getMethods())
                            .filter(m -> !java.lang.reflect.Modifier.isStatic(m.getModifiers()))
                            .map(java.lang.reflect.Method::getName)
                            .filter(name -> !name.equals("name") && !name.equals("panelWidth"))
                            .distinct()
                            .toList());
        } catch (LinkageError e) {
            return false; // a runtime without java.management: only speed is lost
        }
    }

    @Override
    public String name() {
        return "vector-" + S.vectorBitSize();
    }

    /** Columns of a packed B micro-panel: four vectors, the width of the register tile. */
    private static final int NR = 4 * L;
    /** Rows of the register tile: below this many rows packing B does not pay. */
    private static final int MR = 6;
    /** Below this many multiply-adds packing costs more than it saves (attention's small products). */
    private static final long PACK_MIN_WORK = 64L * 64 * 64;

    @Override
    public void gemm(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b, int bOff, int ldb,
                     float[] c, int cOff, int ldc) {
        gemm(m, n, k, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc, false);
    }

    /**
     * Over what C held: on the unpacked path with no narrow columns (attention's small products) the first K block's
     * tiles start from zeros instead of loading C, so C need not be cleared first, a pass of stores to lines that are
     * not in cache (attention's dqkv: 1 to 3 KiB apart, 2 ms a step for GPT-mini). Elsewhere C is cleared first.
     */
    @Override
    public void gemmOver(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b, int bOff, int ldb,
                         float[] c, int cOff, int ldc) {
        int nFull = n - n % NR;
        if (k == 0 || nFull < n || (m >= MR && (long) m * nFull * k >= PACK_MIN_WORK)) {
            FloatKernels.super.gemmOver(m, n, k, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc);
            return;
        }
        gemm(m, n, k, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc, true);
    }

    /** One row of zeros, read (with stride 0) by tiles that start from zeros instead of from C. */
    private static final float[] ZERO_ROW = new float[NR];

    private void gemm(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b, int bOff, int ldb,
                      float[] c, int cOff, int ldc, boolean over) {
        int nFull = n - n % NR;
        if (!over && m >= MR && nFull > 0 && (long) m * nFull * k >= PACK_MIN_WORK) {
            packedGemm(m, nFull, k, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc);
            narrowColumns(nFull, m, n, k, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc);
            return;
        }
        int j = 0;
        if (n > k) {
            // wide and shallow (e.g. the output head): a (m x 4L) block of C stays in cache while K streams through it
            for (; j < nFull; j += 4 * L) {
                for (int p0 = 0; p0 < k; p0 += KC) {
                    boolean zero = over && p0 == 0;
                    rowTiles(m, Math.min(KC, k - p0), a, aOff + p0 * acs, ars, acs, b, bOff + p0 * ldb + j, ldb,
                            zero ? ZERO_ROW : c, zero ? 0 : cOff + j, zero ? 0 : ldc, c, cOff + j, ldc);
                }
            }
        } else {
            // deep (e.g. input gradients through the head): an (m x KC) panel of A stays in cache across all of n
            for (int p0 = 0; p0 < k; p0 += KC) {
                boolean zero = over && p0 == 0;
                for (j = 0; j < nFull; j += 4 * L) {
                    rowTiles(m, Math.min(KC, k - p0), a, aOff + p0 * acs, ars, acs, b, bOff + p0 * ldb + j, ldb,
                            zero ? ZERO_ROW : c, zero ? 0 : cOff + j, zero ? 0 : ldc, c, cOff + j, ldc);
                }
            }
        }
        narrowColumns(nFull, m, n, k, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc);
    }

    @Override
    public int panelWidth() {
        return NR;
    }

    @Override
    public void packPanels(boolean transposed, float[] b, int bOff, int ldb, int k, int j0, int j1, float[] dst, int dstOff) {
        if (transposed) {
            // B = W^T: element (p, j) is W's (j, p), so the panels are transpose()'s panel layout of W's rows j0..j1,
            // gathered sixteen rows at a time
            transpose(b, bOff + j0 * ldb, ldb, j1 - j0, k, dst, dstOff + (j0 / NR) * k * NR, NR);
            return;
        }
        for (int j = j0; j < j1; j += NR) {
            int panel = dstOff + (j / NR) * k * NR;
            for (int p = 0; p < k; p++) {
                copyRow(b, bOff + p * ldb + j, dst, panel + p * NR);
            }
        }
    }

    /**
     * Gathers: one vector load takes a column's values from L rows (vgatherdps), in place of L scalar loads and
     * stores. Attention's K and V from the qkv rows: about 0.2 ns a value from cache against 0.6 element by element.
     */
    @Override
    public void transpose(float[] src, int srcOff, int ld, int rows, int cols, float[] dst, int dstOff, int panel) {
        int rowsFull = rows - rows % L;
        if (L < 8 || panel % L != 0 || rowsFull == 0) {
            FloatKernels.super.transpose(src, srcOff, ld, rows, cols, dst, dstOff, panel);
            return;
        }
        int[] rowStarts = new int[L];
        for (int i = 0; i < L; i++) {
            rowStarts[i] = i * ld;
        }
        for (int t0 = 0; t0 < rowsFull; t0 += L) {
            int out = dstOff + t0 / panel * (cols - 1) * panel + t0; // + d * panel: column d of rows t0..t0+L
            int in = srcOff + t0 * ld;
            for (int d = 0; d < cols; d++) {
                FloatVector.fromArray(S, src, in + d, rowStarts, 0).intoArray(dst, out + d * panel);
            }
        }
        for (int t = rowsFull; t < rows; t++) {
            int out = dstOff + t / panel * cols * panel + t % panel;
            for (int d = 0; d < cols; d++) {
                dst[out + d * panel] = src[srcOff + t * ld + d];
            }
        }
    }

    private static void copyRow(float[] src, int s, float[] dst, int d) {
        FloatVector.fromArray(S, src, s).intoArray(dst, d);
        FloatVector.fromArray(S, src, s + L).intoArray(dst, d + L);
        FloatVector.fromArray(S, src, s + 2 * L).intoArray(dst, d + 2 * L);
        FloatVector.fromArray(S, src, s + 3 * L).intoArray(dst, d + 3 * L);
    }

    /**
     * The product over the first {@code n} (a multiple of NR) columns with each KC x NR block of B first copied into
     * one contiguous micro-panel: B rows 4 KiB apart (C = 1024) otherwise fall into the same cache sets, and the
     * register tile then reads B at a fixed stride. Every element of C still sums its products in order of p, from its
     * old value, so the result is bit-identical to the unpacked path and to {@link ScalarKernels}.
     */
    private static void packedGemm(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b, int bOff,
                                   int ldb, float[] c, int cOff, int ldc) {
        float[] panel = SCRATCH.get().packedB;
        for (int p0 = 0; p0 < k; p0 += KC) {
            int kc = Math.min(KC, k - p0);
            for (int j = 0; j < n; j += NR) {
                int src = bOff + p0 * ldb + j;
                for (int p = 0; p < kc; p++, src += ldb) {
                    copyRow(b, src, panel, p * NR);
                }
                rowTiles(m, kc, a, aOff + p0 * acs, ars, acs, panel, 0, NR, c, cOff + j, ldc, c, cOff + j, ldc);
            }
        }
    }

    /**
     * Floats per step of p in a packed A micro-panel: MR used, the rest padding. A power of two because C2 rewrites a
     * multiply by 6 into shifts and adds, and then no longer recognizes the index as linear in p (the bounds checks of
     * A's loads stay in the loop).
     */
    private static final int MR_STRIDE = 8;

    /** Floats from one packed A micro-panel to the next: kc steps and a spare for a vector move's overhang. */
    private static int aPanel(int kc) {
        return MR_STRIDE * kc + L;
    }

    /**
     * Per-thread buffers: A's rows of one K block in MR-row micro-panels, a C tile for the last rows, and one KC x NR
     * micro-panel of B for products whose B is not packed beforehand.
     */
    private static final class Scratch {
        float[] packedA = new float[0];
        /** A's rows of one K block as they lie, on their way into packedA (see packAlongRows). */
        float[] rowsOfA = new float[0];
        final float[] edge = new float[MR * NR];
        final float[] packedB = new float[KC * NR];
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /**
     * A is copied, one K block at a time, into micro-panels of MR rows (its rows' values for one p side by side), so
     * the register tile reads it contiguously at a constant stride: about 10% faster than reading A in place, where
     * the six rows are six streams and, with a stride that varies, every load is bounds-checked. Rows past the last
     * multiple of MR are padded with zeros and their tile computed into a scratch C block.
     */
    @Override
    public void gemmPanels(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] panels, int pOff,
                           float[] c, int cOff, int ldc) {
        gemmPanels(m, n, k, a, aOff, ars, acs, panels, pOff, c, cOff, ldc, null, 0, false, null, 0);
    }

    /** The first K block's tiles load their accumulators from the init row (or zeros), not from C. */
    @Override
    public void gemmPanelsOver(float[] init, int initOff, int m, int n, int k, float[] a, int aOff, int ars, int acs,
                               float[] panels, int pOff, float[] c, int cOff, int ldc) {
        if (k == 0) { // no K block to start from the init row: C is just the init row
            FloatKernels.super.gemmPanelsOver(init, initOff, m, n, k, a, aOff, ars, acs, panels, pOff, c, cOff, ldc);
            return;
        }
        gemmPanels(m, n, k, a, aOff, ars, acs, panels, pOff, c, cOff, ldc, null, 0, true, init, initOff);
    }

    /** The row sums are taken while A is packed, when A^T's rows are contiguous: dout is then read once, not twice. */
    @Override
    public void gemmPanelsAndRowSums(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] panels,
                                     int pOff, float[] c, int cOff, int ldc, float[] sums, int sumsOff) {
        if (ars != 1 || acs == 1) {
            FloatKernels.super.gemmPanelsAndRowSums(m, n, k, a, aOff, ars, acs, panels, pOff, c, cOff, ldc, sums, sumsOff);
            return;
        }
        gemmPanels(m, n, k, a, aOff, ars, acs, panels, pOff, c, cOff, ldc, sums, sumsOff, false, null, 0);
    }

    /** With {@code over}, C's rows start as {@code init}'s (zeros when null), as {@link #gemmPanelsOver}. */
    private void gemmPanels(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] panels, int pOff,
                            float[] c, int cOff, int ldc, float[] sums, int sumsOff, boolean over, float[] init,
                            int initOff) {
        int tiles = (m + MR - 1) / MR;
        Scratch scratch = SCRATCH.get();
        int blocks = (k + KC - 1) / KC;
        int blockFloats = tiles * aPanel(KC);
        if (blocks > 1 && blocks * blockFloats <= WHOLE_A_FLOATS) {
            // all of A packed first, then each column panel through every K block: a panel's C tiles stay in cache
            // from one K block to the next instead of going out to memory and back (the head's 4 MB of logits a task)
            if (scratch.packedA.length < blocks * blockFloats) {
                scratch.packedA = new float[blocks * blockFloats];
            }
            for (int b = 0, p0 = 0; b < blocks; b++, p0 += KC) {
                packRows(m, Math.min(KC, k - p0), a, aOff + p0 * acs, ars, acs, scratch.packedA, b * blockFloats, sums,
                        sumsOff, scratch);
            }
            for (int j = 0; j < n; j += NR) {
                for (int b = 0, p0 = 0; b < blocks; b++, p0 += KC) {
                    columnPanel(m, Math.min(KC, k - p0), scratch.packedA, b * blockFloats, panels,
                            pOff + (j / NR) * k * NR + p0 * NR, c, cOff, ldc, j, over && p0 == 0, init, initOff, scratch);
                }
            }
            return;
        }
        if (scratch.packedA.length < blockFloats) {
            scratch.packedA = new float[blockFloats];
        }
        for (int p0 = 0; p0 < k; p0 += KC) {
            int kc = Math.min(KC, k - p0);
            packRows(m, kc, a, aOff + p0 * acs, ars, acs, scratch.packedA, 0, sums, sumsOff, scratch);
            for (int j = 0; j < n; j += NR) {
                columnPanel(m, kc, scratch.packedA, 0, panels, pOff + (j / NR) * k * NR + p0 * NR, c, cOff, ldc, j,
                        over && p0 == 0, init, initOff, scratch);
            }
        }
    }

    /** Floats of packed A up to which all of its K blocks are packed at once: two blocks of 256 rows. */
    private static final int WHOLE_A_FLOATS = 2 * ((256 + MR - 1) / MR) * aPanel(KC);

    /**
     * Columns [j, j + NR) of C for one K block of kc steps, all m rows: packed A at {@code ap[apOff..]}, B's micro-panel
     * at {@code panels[bi..]}. With {@code first}, the accumulators start from the init row (zeros when null), not C.
     */
    private static void columnPanel(int m, int kc, float[] ap, int apOff, float[] panels, int bi, float[] c, int cOff,
                                    int ldc, int j, boolean first, float[] init, int initOff, Scratch scratch) {
        int mFull = m - m % MR;
        // the accumulators' first values: C's rows, or the init row (stride 0) in every row
        float[] from = first ? (init != null ? init : ZERO_ROW) : c;
        int fromOff = first ? (init != null ? initOff + j : 0) : cOff + j;
        int fromLd = first ? 0 : ldc;
        for (int i = 0; i < mFull; i += MR) {
            micro6x4(kc, ap, apOff + i / MR * aPanel(kc), panels, bi, from, fromOff + i * fromLd, fromLd,
                    c, cOff + i * ldc + j, ldc);
        }
        if (mFull < m) {
            float[] edge = scratch.edge;
            int rows = m - mFull;
            for (int r = 0; r < rows; r++) {
                System.arraycopy(from, fromOff + (mFull + r) * fromLd, edge, r * NR, NR);
            }
            micro6x4(kc, ap, apOff + mFull / MR * aPanel(kc), panels, bi, edge, 0, NR, edge, 0, NR);
            for (int r = 0; r < rows; r++) {
                System.arraycopy(edge, r * NR, c, cOff + (mFull + r) * ldc + j, NR);
            }
        }
    }

    /**
     * Copies rows [0, m) of a kc-deep block of A into micro-panels: element (i, p) goes to
     * {@code dst[(i / MR) * aPanel(kc) + p * MR_STRIDE + i % MR]}, and the rows of a last partial panel are zero.
     * The source is walked along whichever of its strides is 1, by two methods so that each is compiled for its own
     * loop. With {@code sums} (only where A's columns are contiguous), each row's values are also added to
     * {@code sums[sumsOff + i]}, in order of p.
     */
    private static void packRows(int m, int kc, float[] a, int aOff, int ars, int acs, float[] dst, int dstOff,
                                 float[] sums, int sumsOff, Scratch scratch) {
        int mFull = m - m % MR;
        if (acs == 1) {
            if (scratch.rowsOfA.length < mFull * KC) {
                scratch.rowsOfA = new float[mFull * KC];
            }
            packAlongRows(mFull, kc, a, aOff, ars, dst, dstOff, scratch.rowsOfA);
        } else if (ars == 1) {
            packAlongColumns(m, kc, a, aOff, acs, dst, dstOff, sums, sumsOff);
        } else {
            for (int i = 0; i < mFull; i++) {
                for (int p = 0; p < kc; p++) {
                    dst[dstOff + i / MR * aPanel(kc) + p * MR_STRIDE + i % MR] = a[aOff + i * ars + p * acs];
                }
            }
        }
        if (mFull < m) {
            int panel = dstOff + mFull / MR * aPanel(kc);
            for (int p = 0; p < kc; p++) {
                for (int r = 0; r < MR; r++) {
                    int i = mFull + r;
                    dst[panel + p * MR_STRIDE + r] = i < m ? a[aOff + i * ars + p * acs] : 0f;
                }
            }
        }
    }

    /**
     * {@link #packRows} for A whose rows are contiguous (a forward product, an input gradient): a transpose. The rows'
     * kc-long pieces are first copied as they lie into {@code copy}, then transposed from there. A is usually read
     * from memory here (an activation written a layer earlier), in runs of kc floats 1 to 16 KiB apart; copied whole,
     * many more of those reads are in flight at once than when six rows are transposed element by element (about 7
     * GB/s against 5 on one core of this machine), and the transpose then reads from cache.
     */
    private static void packAlongRows(int mFull, int kc, float[] a, int aOff, int ars, float[] dst, int dstOff,
                                      float[] copy) {
        for (int i = 0; i < mFull; i++) {
            System.arraycopy(a, aOff + i * ars, copy, i * KC, kc);
        }
        // p outer: six loads from six rows, six adjacent stores (a few % faster than a row at a time)
        for (int i0 = 0, panel = dstOff; i0 < mFull; i0 += MR, panel += aPanel(kc)) {
            int s0 = i0 * KC;
            for (int p = 0; p < kc; p++) {
                int d = panel + p * MR_STRIDE;
                dst[d] = copy[s0 + p];
                dst[d + 1] = copy[s0 + KC + p];
                dst[d + 2] = copy[s0 + 2 * KC + p];
                dst[d + 3] = copy[s0 + 3 * KC + p];
                dst[d + 4] = copy[s0 + 4 * KC + p];
                dst[d + 5] = copy[s0 + 5 * KC + p];
            }
        }
    }

    /**
     * {@link #packRows} for A whose columns are contiguous (A = dout^T in a weight gradient): for each p, every
     * panel's MR values lie side by side and move as one vector, whose extra lanes spill into the next p's slot
     * (written next) or the panel's spare slot. The full panels only; with {@code sums}, all m rows are summed.
     */
    private static void packAlongColumns(int m, int kc, float[] a, int aOff, int acs, float[] dst, int dstOff,
                                         float[] sums, int sumsOff) {
        int mFull = m - m % MR;
        for (int p = 0; p < kc; p++) {
            int src = aOff + p * acs;
            // a vector must hold a panel's MR values (not so at 128 bits: those take the scalar loop below)
            int vectorEnd = L >= MR ? Math.min(mFull, a.length - src - L + 1) : 0;
            int i0 = 0, d = dstOff + p * MR_STRIDE;
            for (; i0 < vectorEnd; i0 += MR, d += aPanel(kc)) {
                FloatVector.fromArray(S, a, src + i0).intoArray(dst, d);
            }
            for (; i0 < mFull; i0 += MR, d += aPanel(kc)) {
                for (int r = 0; r < MR; r++) {
                    dst[d + r] = a[src + i0 + r];
                }
            }
            if (sums != null) {
                // each lane its own row's sum, in order of p: the bits of a scalar loop
                int i = 0;
                for (; i + L <= m; i += L) {
                    FloatVector.fromArray(S, sums, sumsOff + i).add(FloatVector.fromArray(S, a, src + i))
                            .intoArray(sums, sumsOff + i);
                }
                for (; i < m; i++) {
                    sums[sumsOff + i] += a[src + i];
                }
            }
        }
    }

    /**
     * The 6 x 4L register tile on packed A (stride MR_STRIDE) and packed B (stride NR). Every index is the loop counter
     * times a constant plus an invariant, the form in which C2 proves the bounds once before the loop instead of
     * testing each of the ten loads on every step (which cost about a fifth of the tile's time).
     */
    private static void micro6x4(int kc, float[] a, int ai, float[] b, int bi, float[] from, int fi, int fromLd,
                                 float[] c, int ci, int ldc) {
        // the accumulators start from rows of `from` (C itself, or one init row with fromLd 0)
        int f0 = fi, f1 = fi + fromLd, f2 = fi + 2 * fromLd, f3 = fi + 3 * fromLd, f4 = fi + 4 * fromLd,
                f5 = fi + 5 * fromLd;
        FloatVector x00 = FloatVector.fromArray(S, from, f0), x01 = FloatVector.fromArray(S, from, f0 + L),
                x02 = FloatVector.fromArray(S, from, f0 + 2 * L), x03 = FloatVector.fromArray(S, from, f0 + 3 * L);
        FloatVector x10 = FloatVector.fromArray(S, from, f1), x11 = FloatVector.fromArray(S, from, f1 + L),
                x12 = FloatVector.fromArray(S, from, f1 + 2 * L), x13 = FloatVector.fromArray(S, from, f1 + 3 * L);
        FloatVector x20 = FloatVector.fromArray(S, from, f2), x21 = FloatVector.fromArray(S, from, f2 + L),
                x22 = FloatVector.fromArray(S, from, f2 + 2 * L), x23 = FloatVector.fromArray(S, from, f2 + 3 * L);
        FloatVector x30 = FloatVector.fromArray(S, from, f3), x31 = FloatVector.fromArray(S, from, f3 + L),
                x32 = FloatVector.fromArray(S, from, f3 + 2 * L), x33 = FloatVector.fromArray(S, from, f3 + 3 * L);
        FloatVector x40 = FloatVector.fromArray(S, from, f4), x41 = FloatVector.fromArray(S, from, f4 + L),
                x42 = FloatVector.fromArray(S, from, f4 + 2 * L), x43 = FloatVector.fromArray(S, from, f4 + 3 * L);
        FloatVector x50 = FloatVector.fromArray(S, from, f5), x51 = FloatVector.fromArray(S, from, f5 + L),
                x52 = FloatVector.fromArray(S, from, f5 + 2 * L), x53 = FloatVector.fromArray(S, from, f5 + 3 * L);
        int c0 = ci, c1 = ci + ldc, c2 = ci + 2 * ldc, c3 = ci + 3 * ldc, c4 = ci + 4 * ldc, c5 = ci + 5 * ldc;
        for (int p = 0; p < kc; p++) {
            int bp = bi + p * NR;
            int ap = ai + p * MR_STRIDE;
            FloatVector b0 = FloatVector.fromArray(S, b, bp), b1 = FloatVector.fromArray(S, b, bp + L),
                    b2 = FloatVector.fromArray(S, b, bp + 2 * L), b3 = FloatVector.fromArray(S, b, bp + 3 * L);
            FloatVector a0 = FloatVector.broadcast(S, a[ap]);
            x00 = a0.fma(b0, x00); x01 = a0.fma(b1, x01); x02 = a0.fma(b2, x02); x03 = a0.fma(b3, x03);
            FloatVector a1 = FloatVector.broadcast(S, a[ap + 1]);
            x10 = a1.fma(b0, x10); x11 = a1.fma(b1, x11); x12 = a1.fma(b2, x12); x13 = a1.fma(b3, x13);
            FloatVector a2 = FloatVector.broadcast(S, a[ap + 2]);
            x20 = a2.fma(b0, x20); x21 = a2.fma(b1, x21); x22 = a2.fma(b2, x22); x23 = a2.fma(b3, x23);
            FloatVector a3 = FloatVector.broadcast(S, a[ap + 3]);
            x30 = a3.fma(b0, x30); x31 = a3.fma(b1, x31); x32 = a3.fma(b2, x32); x33 = a3.fma(b3, x33);
            FloatVector a4 = FloatVector.broadcast(S, a[ap + 4]);
            x40 = a4.fma(b0, x40); x41 = a4.fma(b1, x41); x42 = a4.fma(b2, x42); x43 = a4.fma(b3, x43);
            FloatVector a5 = FloatVector.broadcast(S, a[ap + 5]);
            x50 = a5.fma(b0, x50); x51 = a5.fma(b1, x51); x52 = a5.fma(b2, x52); x53 = a5.fma(b3, x53);
        }
        x00.intoArray(c, c0); x01.intoArray(c, c0 + L); x02.intoArray(c, c0 + 2 * L); x03.intoArray(c, c0 + 3 * L);
        x10.intoArray(c, c1); x11.intoArray(c, c1 + L); x12.intoArray(c, c1 + 2 * L); x13.intoArray(c, c1 + 3 * L);
        x20.intoArray(c, c2); x21.intoArray(c, c2 + L); x22.intoArray(c, c2 + 2 * L); x23.intoArray(c, c2 + 3 * L);
        x30.intoArray(c, c3); x31.intoArray(c, c3 + L); x32.intoArray(c, c3 + 2 * L); x33.intoArray(c, c3 + 3 * L);
        x40.intoArray(c, c4); x41.intoArray(c, c4 + L); x42.intoArray(c, c4 + 2 * L); x43.intoArray(c, c4 + 3 * L);
        x50.intoArray(c, c5); x51.intoArray(c, c5 + L); x52.intoArray(c, c5 + 2 * L); x53.intoArray(c, c5 + 3 * L);
    }

    /** Columns from {@code j} to n, fewer than 4L of them: one vector at a time, then single floats. */
    private static void narrowColumns(int j, int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b,
                                      int bOff, int ldb, float[] c, int cOff, int ldc) {
        for (; j + L <= n; j += L) {
            int i = 0;
            for (; i + 6 <= m; i += 6) {
                tile6x1(k, a, aOff + i * ars, ars, acs, b, bOff + j, ldb, c, cOff + i * ldc + j, ldc);
            }
            for (; i < m; i++) {
                tile1x1(k, a, aOff + i * ars, acs, b, bOff + j, ldb, c, cOff + i * ldc + j);
            }
        }
        if (j < n) {
            for (int i = 0; i < m; i++) {
                int ci = cOff + i * ldc;
                for (int p = 0; p < k; p++) {
                    float av = a[aOff + i * ars + p * acs];
                    int bp = bOff + p * ldb;
                    for (int jj = j; jj < n; jj++) {
                        c[ci + jj] = Math.fma(av, b[bp + jj], c[ci + jj]);
                    }
                }
            }
        }
    }

    /** All m rows of one 4L-wide column block for one K block: 6-row tiles, then 4, then single rows. */
    private static void rowTiles(int m, int kc, float[] a, int aOff, int ars, int acs, float[] b, int bOff, int ldb,
                                 float[] from, int fromOff, int fromLd, float[] c, int cOff, int ldc) {
        // the tiles' accumulators start from rows of `from`: C itself, or a row of zeros with fromLd 0
        int i = 0;
        for (; i + 6 <= m; i += 6) {
            tile6x4(kc, a, aOff + i * ars, ars, acs, b, bOff, ldb, from, fromOff + i * fromLd, fromLd, c,
                    cOff + i * ldc, ldc);
        }
        for (; i + 4 <= m; i += 4) {
            tile4x4(kc, a, aOff + i * ars, ars, acs, b, bOff, ldb, from, fromOff + i * fromLd, fromLd, c,
                    cOff + i * ldc, ldc);
        }
        for (; i < m; i++) {
            tile1x4(kc, a, aOff + i * ars, acs, b, bOff, ldb, from, fromOff + i * fromLd, c, cOff + i * ldc);
        }
    }

    private static void tile4x4(int kc, float[] a, int ai, int ars, int acs, float[] b, int bi, int ldb,
                                float[] from, int fi, int fromLd, float[] c, int ci, int ldc) {
        int c0 = ci, c1 = ci + ldc, c2 = ci + 2 * ldc, c3 = ci + 3 * ldc;
        int f0 = fi + 0 * fromLd, f1 = fi + 1 * fromLd, f2 = fi + 2 * fromLd, f3 = fi + 3 * fromLd;
        FloatVector x00 = FloatVector.fromArray(S, from, f0), x01 = FloatVector.fromArray(S, from, f0 + L),
                x02 = FloatVector.fromArray(S, from, f0 + 2 * L), x03 = FloatVector.fromArray(S, from, f0 + 3 * L);
        FloatVector x10 = FloatVector.fromArray(S, from, f1), x11 = FloatVector.fromArray(S, from, f1 + L),
                x12 = FloatVector.fromArray(S, from, f1 + 2 * L), x13 = FloatVector.fromArray(S, from, f1 + 3 * L);
        FloatVector x20 = FloatVector.fromArray(S, from, f2), x21 = FloatVector.fromArray(S, from, f2 + L),
                x22 = FloatVector.fromArray(S, from, f2 + 2 * L), x23 = FloatVector.fromArray(S, from, f2 + 3 * L);
        FloatVector x30 = FloatVector.fromArray(S, from, f3), x31 = FloatVector.fromArray(S, from, f3 + L),
                x32 = FloatVector.fromArray(S, from, f3 + 2 * L), x33 = FloatVector.fromArray(S, from, f3 + 3 * L);
        for (int p = 0; p < kc; p++, ai += acs, bi += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, bi), b1 = FloatVector.fromArray(S, b, bi + L),
                    b2 = FloatVector.fromArray(S, b, bi + 2 * L), b3 = FloatVector.fromArray(S, b, bi + 3 * L);
            FloatVector a0 = FloatVector.broadcast(S, a[ai]);
            x00 = a0.fma(b0, x00); x01 = a0.fma(b1, x01); x02 = a0.fma(b2, x02); x03 = a0.fma(b3, x03);
            FloatVector a1 = FloatVector.broadcast(S, a[ai + ars]);
            x10 = a1.fma(b0, x10); x11 = a1.fma(b1, x11); x12 = a1.fma(b2, x12); x13 = a1.fma(b3, x13);
            FloatVector a2 = FloatVector.broadcast(S, a[ai + 2 * ars]);
            x20 = a2.fma(b0, x20); x21 = a2.fma(b1, x21); x22 = a2.fma(b2, x22); x23 = a2.fma(b3, x23);
            FloatVector a3 = FloatVector.broadcast(S, a[ai + 3 * ars]);
            x30 = a3.fma(b0, x30); x31 = a3.fma(b1, x31); x32 = a3.fma(b2, x32); x33 = a3.fma(b3, x33);
        }
        x00.intoArray(c, c0); x01.intoArray(c, c0 + L); x02.intoArray(c, c0 + 2 * L); x03.intoArray(c, c0 + 3 * L);
        x10.intoArray(c, c1); x11.intoArray(c, c1 + L); x12.intoArray(c, c1 + 2 * L); x13.intoArray(c, c1 + 3 * L);
        x20.intoArray(c, c2); x21.intoArray(c, c2 + L); x22.intoArray(c, c2 + 2 * L); x23.intoArray(c, c2 + 3 * L);
        x30.intoArray(c, c3); x31.intoArray(c, c3 + L); x32.intoArray(c, c3 + 2 * L); x33.intoArray(c, c3 + 3 * L);
    }

    private static void tile6x4(int kc, float[] a, int ai, int ars, int acs, float[] b, int bi, int ldb,
                                float[] from, int fi, int fromLd, float[] c, int ci, int ldc) {
        int c0 = ci + 0 * ldc;
        int c1 = ci + 1 * ldc;
        int c2 = ci + 2 * ldc;
        int c3 = ci + 3 * ldc;
        int c4 = ci + 4 * ldc;
        int c5 = ci + 5 * ldc;
        int f0 = fi + 0 * fromLd, f1 = fi + 1 * fromLd, f2 = fi + 2 * fromLd, f3 = fi + 3 * fromLd, f4 = fi + 4 * fromLd, f5 = fi + 5 * fromLd;
        FloatVector x00 = FloatVector.fromArray(S, from, f0 + 0 * L), x01 = FloatVector.fromArray(S, from, f0 + 1 * L), x02 = FloatVector.fromArray(S, from, f0 + 2 * L), x03 = FloatVector.fromArray(S, from, f0 + 3 * L);
        FloatVector x10 = FloatVector.fromArray(S, from, f1 + 0 * L), x11 = FloatVector.fromArray(S, from, f1 + 1 * L), x12 = FloatVector.fromArray(S, from, f1 + 2 * L), x13 = FloatVector.fromArray(S, from, f1 + 3 * L);
        FloatVector x20 = FloatVector.fromArray(S, from, f2 + 0 * L), x21 = FloatVector.fromArray(S, from, f2 + 1 * L), x22 = FloatVector.fromArray(S, from, f2 + 2 * L), x23 = FloatVector.fromArray(S, from, f2 + 3 * L);
        FloatVector x30 = FloatVector.fromArray(S, from, f3 + 0 * L), x31 = FloatVector.fromArray(S, from, f3 + 1 * L), x32 = FloatVector.fromArray(S, from, f3 + 2 * L), x33 = FloatVector.fromArray(S, from, f3 + 3 * L);
        FloatVector x40 = FloatVector.fromArray(S, from, f4 + 0 * L), x41 = FloatVector.fromArray(S, from, f4 + 1 * L), x42 = FloatVector.fromArray(S, from, f4 + 2 * L), x43 = FloatVector.fromArray(S, from, f4 + 3 * L);
        FloatVector x50 = FloatVector.fromArray(S, from, f5 + 0 * L), x51 = FloatVector.fromArray(S, from, f5 + 1 * L), x52 = FloatVector.fromArray(S, from, f5 + 2 * L), x53 = FloatVector.fromArray(S, from, f5 + 3 * L);
        for (int p = 0; p < kc; p++, ai += acs, bi += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, bi + 0 * L), b1 = FloatVector.fromArray(S, b, bi + 1 * L), b2 = FloatVector.fromArray(S, b, bi + 2 * L), b3 = FloatVector.fromArray(S, b, bi + 3 * L);
            FloatVector a0 = FloatVector.broadcast(S, a[ai + 0 * ars]);
            x00 = a0.fma(b0, x00); x01 = a0.fma(b1, x01); x02 = a0.fma(b2, x02); x03 = a0.fma(b3, x03);
            FloatVector a1 = FloatVector.broadcast(S, a[ai + 1 * ars]);
            x10 = a1.fma(b0, x10); x11 = a1.fma(b1, x11); x12 = a1.fma(b2, x12); x13 = a1.fma(b3, x13);
            FloatVector a2 = FloatVector.broadcast(S, a[ai + 2 * ars]);
            x20 = a2.fma(b0, x20); x21 = a2.fma(b1, x21); x22 = a2.fma(b2, x22); x23 = a2.fma(b3, x23);
            FloatVector a3 = FloatVector.broadcast(S, a[ai + 3 * ars]);
            x30 = a3.fma(b0, x30); x31 = a3.fma(b1, x31); x32 = a3.fma(b2, x32); x33 = a3.fma(b3, x33);
            FloatVector a4 = FloatVector.broadcast(S, a[ai + 4 * ars]);
            x40 = a4.fma(b0, x40); x41 = a4.fma(b1, x41); x42 = a4.fma(b2, x42); x43 = a4.fma(b3, x43);
            FloatVector a5 = FloatVector.broadcast(S, a[ai + 5 * ars]);
            x50 = a5.fma(b0, x50); x51 = a5.fma(b1, x51); x52 = a5.fma(b2, x52); x53 = a5.fma(b3, x53);
        }
        x00.intoArray(c, c0 + 0 * L); x01.intoArray(c, c0 + 1 * L); x02.intoArray(c, c0 + 2 * L); x03.intoArray(c, c0 + 3 * L);
        x10.intoArray(c, c1 + 0 * L); x11.intoArray(c, c1 + 1 * L); x12.intoArray(c, c1 + 2 * L); x13.intoArray(c, c1 + 3 * L);
        x20.intoArray(c, c2 + 0 * L); x21.intoArray(c, c2 + 1 * L); x22.intoArray(c, c2 + 2 * L); x23.intoArray(c, c2 + 3 * L);
        x30.intoArray(c, c3 + 0 * L); x31.intoArray(c, c3 + 1 * L); x32.intoArray(c, c3 + 2 * L); x33.intoArray(c, c3 + 3 * L);
        x40.intoArray(c, c4 + 0 * L); x41.intoArray(c, c4 + 1 * L); x42.intoArray(c, c4 + 2 * L); x43.intoArray(c, c4 + 3 * L);
        x50.intoArray(c, c5 + 0 * L); x51.intoArray(c, c5 + 1 * L); x52.intoArray(c, c5 + 2 * L); x53.intoArray(c, c5 + 3 * L);
    }

    private static void tile1x4(int kc, float[] a, int ai, int acs, float[] b, int bi, int ldb, float[] from, int fi, float[] c, int ci) {
        FloatVector x0 = FloatVector.fromArray(S, from, fi), x1 = FloatVector.fromArray(S, from, fi + L),
                x2 = FloatVector.fromArray(S, from, fi + 2 * L), x3 = FloatVector.fromArray(S, from, fi + 3 * L);
        for (int p = 0; p < kc; p++, ai += acs, bi += ldb) {
            FloatVector a0 = FloatVector.broadcast(S, a[ai]);
            x0 = a0.fma(FloatVector.fromArray(S, b, bi), x0);
            x1 = a0.fma(FloatVector.fromArray(S, b, bi + L), x1);
            x2 = a0.fma(FloatVector.fromArray(S, b, bi + 2 * L), x2);
            x3 = a0.fma(FloatVector.fromArray(S, b, bi + 3 * L), x3);
        }
        x0.intoArray(c, ci); x1.intoArray(c, ci + L); x2.intoArray(c, ci + 2 * L); x3.intoArray(c, ci + 3 * L);
    }

    private static void tile6x1(int kc, float[] a, int ai, int ars, int acs, float[] b, int bi, int ldb,
                                float[] c, int ci, int ldc) {
        FloatVector x0 = FloatVector.fromArray(S, c, ci + 0 * ldc);
        FloatVector x1 = FloatVector.fromArray(S, c, ci + 1 * ldc);
        FloatVector x2 = FloatVector.fromArray(S, c, ci + 2 * ldc);
        FloatVector x3 = FloatVector.fromArray(S, c, ci + 3 * ldc);
        FloatVector x4 = FloatVector.fromArray(S, c, ci + 4 * ldc);
        FloatVector x5 = FloatVector.fromArray(S, c, ci + 5 * ldc);
        for (int p = 0; p < kc; p++, ai += acs, bi += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            x0 = FloatVector.broadcast(S, a[ai + 0 * ars]).fma(b0, x0);
            x1 = FloatVector.broadcast(S, a[ai + 1 * ars]).fma(b0, x1);
            x2 = FloatVector.broadcast(S, a[ai + 2 * ars]).fma(b0, x2);
            x3 = FloatVector.broadcast(S, a[ai + 3 * ars]).fma(b0, x3);
            x4 = FloatVector.broadcast(S, a[ai + 4 * ars]).fma(b0, x4);
            x5 = FloatVector.broadcast(S, a[ai + 5 * ars]).fma(b0, x5);
        }
        x0.intoArray(c, ci + 0 * ldc);
        x1.intoArray(c, ci + 1 * ldc);
        x2.intoArray(c, ci + 2 * ldc);
        x3.intoArray(c, ci + 3 * ldc);
        x4.intoArray(c, ci + 4 * ldc);
        x5.intoArray(c, ci + 5 * ldc);
    }

    private static void tile1x1(int kc, float[] a, int ai, int acs, float[] b, int bi, int ldb, float[] c, int ci) {
        FloatVector x0 = FloatVector.fromArray(S, c, ci);
        for (int p = 0; p < kc; p++, ai += acs, bi += ldb) {
            x0 = FloatVector.broadcast(S, a[ai]).fma(FloatVector.fromArray(S, b, bi), x0);
        }
        x0.intoArray(c, ci);
    }

    /*
     * Reductions and transcendental functions below are written with plain lane-wise add/mul/fma only.
     * reduceLanes(ADD) and lanewise(EXP/TANH) give different bits once C2 compiles them (intrinsic
     * reduction order, SVML) than in the interpreter, which made two identical training runs in one JVM
     * diverge. These versions are bit-identical whether interpreted or compiled.
     */

    /**
     * Sum of a vector's lanes, always in lane order, called as {@code inLaneOrder(v.toArray())}: the lanes leave the
     * vector inside the caller (toArray is always inlined, being the JDK's), so no vector is passed to a call. A
     * helper taking the vector was boxed whenever C2 did not inline it, and it did not once the caller's compiled
     * graph passed its node budget (NodeCountInliningCutoff, which even a forced inline cannot override): the
     * softmax's expScaledShift then ran 2.5 times slower, depending on compile timing.
     */
    private static float inLaneOrder(float[] lanes) {
        float sum = 0f;
        for (float lane : lanes) {
            sum += lane;
        }
        return sum;
    }

    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;

    /** 1.5 * 2^23: adding it to a float of magnitude below 2^22 rounds it to an integer held in the low mantissa bits. */
    private static final float ROUNDER = 12582912f;
    private static final int ROUNDER_BITS = 0x4B400000;

    /**
     * e^x for x at most 88, Cephes expf: x = n ln2 + r, |r| <= ln2/2, a degree-6 polynomial for e^r, times 2^n (about 1
     * ulp). Below the float range it is exactly 0, as Math.exp: masked attention relies on exact zeros. Softmax's and
     * the loss's exponents, shifted by their row's maximum, are at most about 0.
     *
     * <p>n is rounded with the 1.5 * 2^23 trick and read back from the bits, not with convert(F2I): on JDK 17 that
     * conversion is not intrinsified and made every exp (GELU, softmax, cross-entropy) about 13 times slower.
     *
     * <p>No clamp above, no infinity blend, and 2^n as one power of two (n is at most 127 here, at least -126 above the
     * zero blend): the bits of the full-range version below 88, with less code. {@code expScaledShift} compiled at
     * C2's inlining node budget (NodeCountInliningCutoff), and then, depending on profile order, left its stores
     * unintrinsified, a vector boxed on every iteration, in about half the JVMs.
     */
    static FloatVector exp(FloatVector input) {
        FloatVector x = input.max(-87.33654f);
        FloatVector rounded = x.fma(FloatVector.broadcast(S, LOG2E), FloatVector.broadcast(S, ROUNDER));
        FloatVector n = rounded.sub(ROUNDER);
        FloatVector r = x.sub(n.mul(LN2_HI)).sub(n.mul(LN2_LO));
        return expNearZero(r).mul(powerOfTwo(rounded.reinterpretAsInts().sub(ROUNDER_BITS)))
                .blend(0f, input.compare(VectorOperators.LT, -87.33654f));
    }

    /** e^r for |r| &lt;= ln2/2: Cephes expf's degree-6 polynomial. */
    private static FloatVector expNearZero(FloatVector r) {
        FloatVector p = FloatVector.broadcast(S, 1.9875691500e-4f)
                .fma(r, FloatVector.broadcast(S, 1.3981999507e-3f))
                .fma(r, FloatVector.broadcast(S, 8.3334519073e-3f))
                .fma(r, FloatVector.broadcast(S, 4.1665795894e-2f))
                .fma(r, FloatVector.broadcast(S, 1.6666665459e-1f))
                .fma(r, FloatVector.broadcast(S, 5.0000001201e-1f));
        return p.mul(r.mul(r)).add(r).add(1f);
    }

    /** Past this magnitude GELU's exponent -2u saturates the logistic: 1 / (1 + e^80) is below 1e-34. */
    private static final float GELU_EXPONENT_LIMIT = 80f;

    /**
     * e^w for GELU's logistic, with w clamped to +-80: there 2^n is one normal power of two, and no lane needs the
     * exact 0 or infinity that {@link #exp} gives at the ends of the float range. About 17 operations to exp's 27.
     */
    private static FloatVector expForLogistic(FloatVector w) {
        FloatVector x = w.max(-GELU_EXPONENT_LIMIT).min(GELU_EXPONENT_LIMIT);
        FloatVector rounded = x.fma(FloatVector.broadcast(S, LOG2E), FloatVector.broadcast(S, ROUNDER));
        FloatVector n = rounded.sub(ROUNDER);
        FloatVector r = n.fma(FloatVector.broadcast(S, -LN2_HI), x).sub(n.mul(LN2_LO));
        return expNearZero(r).mul(powerOfTwo(rounded.reinterpretAsInts().sub(ROUNDER_BITS)));
    }

    private static FloatVector powerOfTwo(IntVector exponent) {
        return exponent.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    }

    @Override
    public float dot(float[] x, int xOff, float[] y, int yOff, int n) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (; i + L <= n; i += L) {
            acc = FloatVector.fromArray(S, x, xOff + i).fma(FloatVector.fromArray(S, y, yOff + i), acc);
        }
        float s = inLaneOrder(acc.toArray());
        for (; i < n; i++) {
            s += x[xOff + i] * y[yOff + i];
        }
        return s;
    }

    @Override
    public float max(float[] x, int off, int n) {
        int i = 0;
        float m = Float.NEGATIVE_INFINITY;
        if (n >= L) {
            FloatVector acc = FloatVector.fromArray(S, x, off);
            for (i = L; i + L <= n; i += L) {
                acc = acc.max(FloatVector.fromArray(S, x, off + i));
            }
            m = acc.reduceLanes(VectorOperators.MAX);
        }
        for (; i < n; i++) {
            m = Math.max(m, x[off + i]);
        }
        return m;
    }

    @Override
    public float expScaledShift(float[] x, int off, int n, float scale, float shift) {
        FloatVector sum = FloatVector.zero(S);
        FloatVector vs = FloatVector.broadcast(S, scale);
        FloatVector vsh = FloatVector.broadcast(S, -shift);
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector e = exp(FloatVector.fromArray(S, x, off + i).fma(vs, vsh));
            e.intoArray(x, off + i);
            sum = sum.add(e);
        }
        float s = inLaneOrder(sum.toArray());
        for (; i < n; i++) {
            float e = (float) Math.exp(scale * x[off + i] - shift);
            x[off + i] = e;
            s += e;
        }
        return s;
    }

    @Override
    public void scale(float[] x, int off, int n, float factor) {
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector.fromArray(S, x, off + i).mul(factor).intoArray(x, off + i);
        }
        for (; i < n; i++) {
            x[off + i] *= factor;
        }
    }

    @Override
    public void softmaxBackwardRow(float[] p, int pOff, float[] d, int dOff, int n, float scale) {
        float dot = dot(p, pOff, d, dOff, n);
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector.fromArray(S, p, pOff + i).mul(FloatVector.fromArray(S, d, dOff + i).sub(dot)).mul(scale)
                    .intoArray(d, dOff + i);
        }
        for (; i < n; i++) {
            d[dOff + i] = p[pOff + i] * (d[dOff + i] - dot) * scale;
        }
    }

    @Override
    public void layerNormRow(float[] out, int outOff, float[] inp, int inpOff, float[] params, int wOff, int bOff, int n,
                             float eps, float[] stats, int statsOff) {
        if (n % L != 0) {
            TAIL.layerNormRow(out, outOff, inp, inpOff, params, wOff, bOff, n, eps, stats, statsOff);
            return;
        }
        FloatVector acc = FloatVector.zero(S);
        for (int c = 0; c < n; c += L) {
            acc = acc.add(FloatVector.fromArray(S, inp, inpOff + c));
        }
        float m = inLaneOrder(acc.toArray()) / n;
        FloatVector vm = FloatVector.broadcast(S, m);
        FloatVector sq = FloatVector.zero(S);
        for (int c = 0; c < n; c += L) {
            FloatVector d = FloatVector.fromArray(S, inp, inpOff + c).sub(vm);
            sq = d.fma(d, sq);
        }
        float v = inLaneOrder(sq.toArray()) / n;
        float rs = (float) (1.0 / Math.sqrt(v + eps));
        for (int c = 0; c < n; c += L) {
            FloatVector norm = FloatVector.fromArray(S, inp, inpOff + c).sub(vm).mul(rs);
            norm.fma(FloatVector.fromArray(S, params, wOff + c), FloatVector.fromArray(S, params, bOff + c))
                    .intoArray(out, outOff + c);
        }
        stats[statsOff] = m;
        stats[statsOff + 1] = rs;
    }

    @Override
    public void layerNormBackwardRow(float[] dinp, int dinpOff, float[] dwb, int dwOff, int dbOff, float[] dout,
                                     int doutOff, float[] inp, int inpOff, float[] params, int wOff, float mean,
                                     float rstd, int n) {
        if (n % L != 0) {
            TAIL.layerNormBackwardRow(dinp, dinpOff, dwb, dwOff, dbOff, dout, doutOff, inp, inpOff, params, wOff, mean, rstd, n);
            return;
        }
        FloatVector vm = FloatVector.broadcast(S, mean);
        FloatVector s1 = FloatVector.zero(S), s2 = FloatVector.zero(S);
        for (int c = 0; c < n; c += L) {
            FloatVector norm = FloatVector.fromArray(S, inp, inpOff + c).sub(vm).mul(rstd);
            FloatVector dnorm = FloatVector.fromArray(S, params, wOff + c).mul(FloatVector.fromArray(S, dout, doutOff + c));
            s1 = s1.add(dnorm);
            s2 = dnorm.fma(norm, s2);
        }
        float dnormMean = inLaneOrder(s1.toArray()) / n;
        float dnormNormMean = inLaneOrder(s2.toArray()) / n;
        FloatVector vdm = FloatVector.broadcast(S, dnormMean), vdnm = FloatVector.broadcast(S, dnormNormMean);
        for (int c = 0; c < n; c += L) {
            FloatVector norm = FloatVector.fromArray(S, inp, inpOff + c).sub(vm).mul(rstd);
            FloatVector d = FloatVector.fromArray(S, dout, doutOff + c);
            FloatVector dnorm = FloatVector.fromArray(S, params, wOff + c).mul(d);
            FloatVector.fromArray(S, dwb, dbOff + c).add(d).intoArray(dwb, dbOff + c);
            norm.fma(d, FloatVector.fromArray(S, dwb, dwOff + c)).intoArray(dwb, dwOff + c);
            FloatVector g = dnorm.sub(vdm).sub(norm.mul(vdnm)).mul(rstd);
            FloatVector.fromArray(S, dinp, dinpOff + c).add(g).intoArray(dinp, dinpOff + c);
        }
    }

    @Override
    public void adamW(float[] p, float[] g, int off, float[] m, float[] v, int momentOff, int n, float lr, float beta1,
                      float beta2, float c1, float c2, float eps, float weightDecay, float gradScale) {
        int i = 0;
        float ob1 = 1f - beta1, ob2 = 1f - beta2;
        boolean scaled = gradScale != 1f;
        for (; i + L <= n; i += L) {
            int o = off + i, mo = momentOff + i;
            FloatVector gi = FloatVector.fromArray(S, g, o).mul(gradScale);
            if (scaled) {
                gi.intoArray(g, o);
            }
            FloatVector mi = FloatVector.fromArray(S, m, mo).mul(beta1).add(gi.mul(ob1));
            FloatVector vi = FloatVector.fromArray(S, v, mo).mul(beta2).add(gi.mul(gi).mul(ob2));
            mi.intoArray(m, mo);
            vi.intoArray(v, mo);
            FloatVector pi = FloatVector.fromArray(S, p, o);
            FloatVector update = mi.div(c1).div(vi.div(c2).lanewise(VectorOperators.SQRT).add(eps)).add(pi.mul(weightDecay));
            pi.sub(update.mul(lr)).intoArray(p, o);
        }
        if (i < n) {
            TAIL.adamW(p, g, off + i, m, v, momentOff + i, n - i, lr, beta1, beta2, c1, c2, eps, weightDecay, gradScale);
        }
    }

    /*
     * GELU's tanh form rewritten as a logistic, 0.5 x (1 + tanh u) = x / (1 + e^{-2u}) with u = s (x + 0.044715 x^3):
     * one division and a cheaper exp (expForLogistic) instead of tanh's, about 40% fewer operations. The same function
     * to a few ulp; ScalarKernels keeps Math.tanh as the reference. -2u = x (C0 + C1 x^2).
     */
    private static final float GELU_C0 = -2f * ScalarKernels.GELU_SCALE;
    private static final float GELU_C1 = -2f * ScalarKernels.GELU_SCALE * 0.044715f;

    @Override
    public void geluForward(float[] out, int outOff, float[] inp, int inpOff, int n) {
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector x = FloatVector.fromArray(S, inp, inpOff + i);
            FloatVector minus2u = x.mul(x).fma(GELU_C1, GELU_C0).mul(x);
            x.div(expForLogistic(minus2u).add(1f)).intoArray(out, outOff + i);
        }
        if (i < n) {
            TAIL.geluForward(out, outOff + i, inp, inpOff + i, n - i);
        }
    }

    /**
     * gelu'(x) = sigma + x sigma (1 - sigma) 2s (1 + 3 * 0.044715 x^2) with sigma = 1 / (1 + e^{-2u}), the logistic of
     * {@link #geluForward}; the tanh form's 0.5 (1 + t) + 0.5 x (1 - t^2) s (1 + 3 * 0.044715 x^2) rewritten.
     */
    @Override
    public void geluBackward(float[] dinp, int dinpOff, float[] inp, int inpOff, float[] dout, int doutOff, int n) {
        int i = 0;
        final float k0 = 2f * ScalarKernels.GELU_SCALE, k1 = 6f * ScalarKernels.GELU_SCALE * 0.044715f;
        for (; i + L <= n; i += L) {
            FloatVector x = FloatVector.fromArray(S, inp, inpOff + i);
            FloatVector x2 = x.mul(x);
            FloatVector sigma = FloatVector.broadcast(S, 1f).div(expForLogistic(x2.fma(GELU_C1, GELU_C0).mul(x)).add(1f));
            FloatVector slope = x2.fma(k1, k0);
            FloatVector local = x.mul(sigma.neg().add(1f)).fma(slope, FloatVector.broadcast(S, 1f)).mul(sigma);
            local.mul(FloatVector.fromArray(S, dout, doutOff + i)).intoArray(dinp, dinpOff + i);
        }
        if (i < n) {
            TAIL.geluBackward(dinp, dinpOff + i, inp, inpOff + i, dout, doutOff + i, n - i);
        }
    }
}
