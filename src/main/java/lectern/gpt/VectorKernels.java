package lectern.gpt;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Kernels on jdk.incubator.vector. Only loaded (by name, from {@link FloatKernels.KernelChoice}) when the module is
 * present. The matrix product is register-tiled: a 6-row by 4-vector block of C lives in 24 accumulators (of the 32
 * AVX-512 registers) while p runs over a block of K; B panels are reused from cache across the rows of a chunk.
 * Measured on this machine (one thread, GFLOP per CPU-second): 4x4 tiles ~100, 6x4 tiles ~115-140.
 */
final class VectorKernels implements FloatKernels {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** K block: a KC x 4L panel of B (32 KiB at 512-bit vectors) stays in cache while the rows of a chunk stream by. */
    private static final int KC = 128;
    private static final ScalarKernels TAIL = new ScalarKernels();

    @Override
    public String name() {
        return "vector-" + S.vectorBitSize();
    }

    @Override
    public void gemm(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b, int bOff, int ldb,
                     float[] c, int cOff, int ldc) {
        int j = 0;
        int nFull = n - n % (4 * L);
        if (n > k) {
            // wide and shallow (e.g. the output head): a (m x 4L) block of C stays in cache while K streams through it
            for (; j < nFull; j += 4 * L) {
                for (int p0 = 0; p0 < k; p0 += KC) {
                    rowTiles(m, Math.min(KC, k - p0), a, aOff + p0 * acs, ars, acs, b, bOff + p0 * ldb + j, ldb, c, cOff + j, ldc);
                }
            }
        } else {
            // deep (e.g. input gradients through the head): an (m x KC) panel of A stays in cache across all of n
            for (int p0 = 0; p0 < k; p0 += KC) {
                for (j = 0; j < nFull; j += 4 * L) {
                    rowTiles(m, Math.min(KC, k - p0), a, aOff + p0 * acs, ars, acs, b, bOff + p0 * ldb + j, ldb, c, cOff + j, ldc);
                }
            }
        }
        j = nFull;
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
                                 float[] c, int cOff, int ldc) {
        int i = 0;
        for (; i + 6 <= m; i += 6) {
            tile6x4(kc, a, aOff + i * ars, ars, acs, b, bOff, ldb, c, cOff + i * ldc, ldc);
        }
        for (; i + 4 <= m; i += 4) {
            tile4x4(kc, a, aOff + i * ars, ars, acs, b, bOff, ldb, c, cOff + i * ldc, ldc);
        }
        for (; i < m; i++) {
            tile1x4(kc, a, aOff + i * ars, acs, b, bOff, ldb, c, cOff + i * ldc);
        }
    }

    private static void tile4x4(int kc, float[] a, int ai, int ars, int acs, float[] b, int bi, int ldb,
                                float[] c, int ci, int ldc) {
        int c0 = ci, c1 = ci + ldc, c2 = ci + 2 * ldc, c3 = ci + 3 * ldc;
        FloatVector x00 = FloatVector.fromArray(S, c, c0), x01 = FloatVector.fromArray(S, c, c0 + L),
                x02 = FloatVector.fromArray(S, c, c0 + 2 * L), x03 = FloatVector.fromArray(S, c, c0 + 3 * L);
        FloatVector x10 = FloatVector.fromArray(S, c, c1), x11 = FloatVector.fromArray(S, c, c1 + L),
                x12 = FloatVector.fromArray(S, c, c1 + 2 * L), x13 = FloatVector.fromArray(S, c, c1 + 3 * L);
        FloatVector x20 = FloatVector.fromArray(S, c, c2), x21 = FloatVector.fromArray(S, c, c2 + L),
                x22 = FloatVector.fromArray(S, c, c2 + 2 * L), x23 = FloatVector.fromArray(S, c, c2 + 3 * L);
        FloatVector x30 = FloatVector.fromArray(S, c, c3), x31 = FloatVector.fromArray(S, c, c3 + L),
                x32 = FloatVector.fromArray(S, c, c3 + 2 * L), x33 = FloatVector.fromArray(S, c, c3 + 3 * L);
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
                                float[] c, int ci, int ldc) {
        int c0 = ci + 0 * ldc;
        int c1 = ci + 1 * ldc;
        int c2 = ci + 2 * ldc;
        int c3 = ci + 3 * ldc;
        int c4 = ci + 4 * ldc;
        int c5 = ci + 5 * ldc;
        FloatVector x00 = FloatVector.fromArray(S, c, c0 + 0 * L), x01 = FloatVector.fromArray(S, c, c0 + 1 * L), x02 = FloatVector.fromArray(S, c, c0 + 2 * L), x03 = FloatVector.fromArray(S, c, c0 + 3 * L);
        FloatVector x10 = FloatVector.fromArray(S, c, c1 + 0 * L), x11 = FloatVector.fromArray(S, c, c1 + 1 * L), x12 = FloatVector.fromArray(S, c, c1 + 2 * L), x13 = FloatVector.fromArray(S, c, c1 + 3 * L);
        FloatVector x20 = FloatVector.fromArray(S, c, c2 + 0 * L), x21 = FloatVector.fromArray(S, c, c2 + 1 * L), x22 = FloatVector.fromArray(S, c, c2 + 2 * L), x23 = FloatVector.fromArray(S, c, c2 + 3 * L);
        FloatVector x30 = FloatVector.fromArray(S, c, c3 + 0 * L), x31 = FloatVector.fromArray(S, c, c3 + 1 * L), x32 = FloatVector.fromArray(S, c, c3 + 2 * L), x33 = FloatVector.fromArray(S, c, c3 + 3 * L);
        FloatVector x40 = FloatVector.fromArray(S, c, c4 + 0 * L), x41 = FloatVector.fromArray(S, c, c4 + 1 * L), x42 = FloatVector.fromArray(S, c, c4 + 2 * L), x43 = FloatVector.fromArray(S, c, c4 + 3 * L);
        FloatVector x50 = FloatVector.fromArray(S, c, c5 + 0 * L), x51 = FloatVector.fromArray(S, c, c5 + 1 * L), x52 = FloatVector.fromArray(S, c, c5 + 2 * L), x53 = FloatVector.fromArray(S, c, c5 + 3 * L);
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

    private static void tile1x4(int kc, float[] a, int ai, int acs, float[] b, int bi, int ldb, float[] c, int ci) {
        FloatVector x0 = FloatVector.fromArray(S, c, ci), x1 = FloatVector.fromArray(S, c, ci + L),
                x2 = FloatVector.fromArray(S, c, ci + 2 * L), x3 = FloatVector.fromArray(S, c, ci + 3 * L);
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

    @Override
    public float dot(float[] x, int xOff, float[] y, int yOff, int n) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (; i + L <= n; i += L) {
            acc = FloatVector.fromArray(S, x, xOff + i).fma(FloatVector.fromArray(S, y, yOff + i), acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
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
            FloatVector e = FloatVector.fromArray(S, x, off + i).fma(vs, vsh).lanewise(VectorOperators.EXP);
            e.intoArray(x, off + i);
            sum = sum.add(e);
        }
        float s = sum.reduceLanes(VectorOperators.ADD);
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
        float m = acc.reduceLanes(VectorOperators.ADD) / n;
        FloatVector vm = FloatVector.broadcast(S, m);
        FloatVector sq = FloatVector.zero(S);
        for (int c = 0; c < n; c += L) {
            FloatVector d = FloatVector.fromArray(S, inp, inpOff + c).sub(vm);
            sq = d.fma(d, sq);
        }
        float v = sq.reduceLanes(VectorOperators.ADD) / n;
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
        float dnormMean = s1.reduceLanes(VectorOperators.ADD) / n;
        float dnormNormMean = s2.reduceLanes(VectorOperators.ADD) / n;
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
    public void adamW(float[] p, float[] g, float[] m, float[] v, int off, int n, float lr, float beta1, float beta2,
                      float c1, float c2, float eps, float weightDecay) {
        int i = 0;
        float ob1 = 1f - beta1, ob2 = 1f - beta2;
        for (; i + L <= n; i += L) {
            int o = off + i;
            FloatVector gi = FloatVector.fromArray(S, g, o);
            FloatVector mi = FloatVector.fromArray(S, m, o).mul(beta1).add(gi.mul(ob1));
            FloatVector vi = FloatVector.fromArray(S, v, o).mul(beta2).add(gi.mul(gi).mul(ob2));
            mi.intoArray(m, o);
            vi.intoArray(v, o);
            FloatVector pi = FloatVector.fromArray(S, p, o);
            FloatVector update = mi.div(c1).div(vi.div(c2).lanewise(VectorOperators.SQRT).add(eps)).add(pi.mul(weightDecay));
            pi.sub(update.mul(lr)).intoArray(p, o);
        }
        if (i < n) {
            TAIL.adamW(p, g, m, v, off + i, n - i, lr, beta1, beta2, c1, c2, eps, weightDecay);
        }
    }

    @Override
    public void geluForward(float[] out, int outOff, float[] inp, int inpOff, int n) {
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector x = FloatVector.fromArray(S, inp, inpOff + i);
            FloatVector inner = x.mul(x).mul(0.044715f).fma(x, x).mul(ScalarKernels.GELU_SCALE);
            FloatVector t = inner.lanewise(VectorOperators.TANH);
            x.mul(0.5f).mul(t.add(1f)).intoArray(out, outOff + i);
        }
        if (i < n) {
            TAIL.geluForward(out, outOff + i, inp, inpOff + i, n - i);
        }
    }

    @Override
    public void geluBackward(float[] dinp, int dinpOff, float[] inp, int inpOff, float[] dout, int doutOff, int n) {
        int i = 0;
        final float s = ScalarKernels.GELU_SCALE;
        for (; i + L <= n; i += L) {
            FloatVector x = FloatVector.fromArray(S, inp, inpOff + i);
            FloatVector x2 = x.mul(x);
            FloatVector t = x2.mul(0.044715f).fma(x, x).mul(s).lanewise(VectorOperators.TANH);
            FloatVector sech2 = t.mul(t).neg().add(1f);
            // 0.5(1+t) + 0.5 x sech^2 s (1 + 3*0.044715 x^2)
            FloatVector local = t.add(1f).mul(0.5f)
                    .add(x.mul(0.5f * s).mul(sech2).mul(x2.mul(3f * 0.044715f).add(1f)));
            FloatVector d = FloatVector.fromArray(S, dinp, dinpOff + i);
            local.fma(FloatVector.fromArray(S, dout, doutOff + i), d).intoArray(dinp, dinpOff + i);
        }
        if (i < n) {
            TAIL.geluBackward(dinp, dinpOff + i, inp, inpOff + i, dout, doutOff + i, n - i);
        }
    }
}
