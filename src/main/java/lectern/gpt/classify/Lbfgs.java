package lectern.gpt.classify;

/**
 * Limited-memory BFGS (Nocedal and Wright, algorithm 7.5) with a backtracking Armijo line search: enough for the
 * smooth convex objectives of this package (logistic regression, temperature scaling), deterministic, no step size to
 * tune.
 */
final class Lbfgs {

    /** f(x) into the return value and its gradient into {@code grad}. */
    interface Objective {
        double evaluate(double[] x, double[] grad);
    }

    private Lbfgs() {
    }

    /** Minimises f from {@code x} (updated in place); returns the final value. */
    static double minimize(Objective f, double[] x, int maxIterations, int history, double gradientTolerance) {
        int n = x.length;
        double[][] s = new double[history][n], y = new double[history][n];
        double[] rho = new double[history], alpha = new double[history];
        double[] g = new double[n], gNew = new double[n], d = new double[n], xNew = new double[n];
        double fx = f.evaluate(x, g);
        int stored = 0, newest = -1;
        for (int iter = 0; iter < maxIterations; iter++) {
            if (maxAbs(g) < gradientTolerance) {
                break;
            }
            // two-loop recursion: d = -H g
            for (int i = 0; i < n; i++) {
                d[i] = -g[i];
            }
            for (int m = 0; m < stored; m++) {
                int j = Math.floorMod(newest - m, history);
                alpha[j] = rho[j] * dot(s[j], d);
                axpy(-alpha[j], y[j], d);
            }
            double gamma = stored == 0 ? 1.0 / Math.max(1e-12, Math.sqrt(dot(g, g))) : dot(s[newest], y[newest]) / dot(y[newest], y[newest]);
            for (int i = 0; i < n; i++) {
                d[i] *= gamma;
            }
            for (int m = stored - 1; m >= 0; m--) {
                int j = Math.floorMod(newest - m, history);
                double beta = rho[j] * dot(y[j], d);
                axpy(alpha[j] - beta, s[j], d);
            }
            double slope = dot(g, d);
            if (slope >= 0) { // not a descent direction (numerical trouble): restart from steepest descent
                stored = 0;
                for (int i = 0; i < n; i++) {
                    d[i] = -g[i] / Math.max(1e-12, Math.sqrt(dot(g, g)));
                }
                slope = dot(g, d);
            }
            double step = 1, fNew = Double.NaN;
            boolean accepted = false;
            for (int tries = 0; tries < 40; tries++) {
                for (int i = 0; i < n; i++) {
                    xNew[i] = x[i] + step * d[i];
                }
                fNew = f.evaluate(xNew, gNew);
                if (fNew <= fx + 1e-4 * step * slope) {
                    accepted = true;
                    break;
                }
                step *= 0.5;
            }
            if (!accepted) {
                break;
            }
            int j = (newest + 1) % history;
            double sy = 0;
            for (int i = 0; i < n; i++) {
                s[j][i] = xNew[i] - x[i];
                y[j][i] = gNew[i] - g[i];
                sy += s[j][i] * y[j][i];
            }
            System.arraycopy(xNew, 0, x, 0, n);
            System.arraycopy(gNew, 0, g, 0, n);
            double previous = fx;
            fx = fNew;
            if (sy > 1e-12) { // keep the curvature pair only when it keeps H positive definite
                rho[j] = 1 / sy;
                newest = j;
                stored = Math.min(stored + 1, history);
            }
            if (Math.abs(previous - fx) <= 1e-10 * Math.max(1, Math.abs(fx))) {
                break;
            }
        }
        return fx;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < y.length; i++) {
            y[i] += a * x[i];
        }
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }
}
