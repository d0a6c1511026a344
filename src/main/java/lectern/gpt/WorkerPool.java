package lectern.gpt;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small fixed pool that runs numbered tasks {@code 0..n-1} on all cores (the calling thread helps). Callers give
 * each task its own disjoint set of outputs and fix the task boundaries by problem size, never by thread count, so
 * results are bit-for-bit the same whichever thread runs which task. Tasks must not call back into the pool.
 */
public final class WorkerPool {

    /** One numbered piece of work; {@code worker} (0..size-1) indexes per-thread scratch space. */
    @FunctionalInterface
    public interface Task {
        void run(int task, int worker);
    }

    private static volatile WorkerPool shared;

    private final int size;
    private final Object lock = new Object();
    private final Object callerLock = new Object();
    private final AtomicInteger next = new AtomicInteger();
    private Task body;
    private int taskCount;
    private long generation;
    private int busy;
    private Throwable failure;

    /** @param size threads that work, including the caller; 1 means everything runs on the caller. */
    public WorkerPool(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("pool size must be at least 1, was " + size);
        }
        this.size = size;
        for (int w = 1; w < size; w++) {
            int worker = w;
            Thread t = new Thread(() -> workLoop(worker), "lectern-gpt-" + w);
            t.setDaemon(true);
            t.start();
        }
    }

    /** The pool shared by all models: {@code -Dlectern.gpt.threads=N}, default all available processors. */
    public static WorkerPool shared() {
        WorkerPool p = shared;
        if (p == null) {
            synchronized (WorkerPool.class) {
                p = shared;
                if (p == null) {
                    int n = Integer.getInteger("lectern.gpt.threads", Runtime.getRuntime().availableProcessors());
                    p = new WorkerPool(Math.max(1, n));
                    shared = p;
                }
            }
        }
        return p;
    }

    public int size() {
        return size;
    }

    /** Runs tasks 0..n-1 and returns when all are done; a task's exception is rethrown here. */
    public void forEach(int n, Task task) {
        if (n <= 0) {
            return;
        }
        if (size == 1 || n == 1) {
            for (int i = 0; i < n; i++) {
                task.run(i, 0);
            }
            return;
        }
        synchronized (callerLock) {
            synchronized (lock) {
                body = task;
                taskCount = n;
                next.set(0);
                busy = size - 1;
                failure = null;
                generation++;
                lock.notifyAll();
            }
            Throwable mine = drain(task, n, 0);
            Throwable theirs;
            synchronized (lock) {
                while (busy > 0) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while waiting for workers", e);
                    }
                }
                body = null;
                theirs = failure;
            }
            Throwable f = mine != null ? mine : theirs;
            if (f instanceof RuntimeException r) {
                throw r;
            }
            if (f instanceof Error e) {
                throw e;
            }
            if (f != null) {
                throw new IllegalStateException(f);
            }
        }
    }

    private Throwable drain(Task task, int n, int worker) {
        try {
            for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                task.run(i, worker);
            }
            return null;
        } catch (Throwable t) {
            next.set(n); // stop handing out tasks
            return t;
        }
    }

    private void workLoop(int worker) {
        long seen = 0;
        while (true) {
            Task task;
            int n;
            synchronized (lock) {
                while (generation == seen) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                seen = generation;
                task = body;
                n = taskCount;
            }
            Throwable t = drain(task, n, worker);
            synchronized (lock) {
                if (t != null && failure == null) {
                    failure = t;
                }
                if (--busy == 0) {
                    lock.notifyAll();
                }
            }
        }
    }
}
