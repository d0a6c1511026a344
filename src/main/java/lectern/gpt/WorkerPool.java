package lectern.gpt;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A small fixed pool that runs numbered tasks {@code 0..n-1} on all cores (the calling thread helps). Callers give
 * each task its own disjoint set of outputs and fix the task boundaries by problem size, never by thread count, so
 * results are bit-for-bit the same whichever thread runs which task. Tasks must not call back into the pool.
 *
 * <p>The caller waits only for tasks that were started, never for a worker to wake up: on a machine shared with
 * other work, a descheduled worker costs its unstarted tasks' share of parallelism, not a stall.
 */
public final class WorkerPool {

    /** One numbered piece of work; {@code worker} (0..size-1) indexes per-thread scratch space. */
    @FunctionalInterface
    public interface Task {
        void run(int task, int worker);
    }

    /** Spin iterations before a waiting thread blocks: steps issue dispatches back to back, so waits are short. */
    private static final int SPINS = Integer.getInteger("lectern.gpt.spins", 1_000);

    private static volatile WorkerPool shared;

    /** One dispatch; a fresh object each time so a worker that wakes late can only find an exhausted job. */
    private static final class Job {
        final Task body;
        final int n;
        final Thread caller;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        volatile Throwable failure;

        Job(Task body, int n, Thread caller) {
            this.body = body;
            this.n = n;
            this.caller = caller;
        }
    }

    private final int size;
    private final Object lock = new Object();
    private final Object callerLock = new Object();
    private volatile Job current;

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
            Job job = new Job(task, n, Thread.currentThread());
            current = job;
            synchronized (lock) {
                lock.notifyAll();
            }
            work(job, 0);
            int spins = 0;
            while (job.done.get() < n) {
                if (spins++ < SPINS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            Throwable f = job.failure;
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

    private static void work(Job job, int worker) {
        for (int i = job.next.getAndIncrement(); i < job.n; i = job.next.getAndIncrement()) {
            try {
                job.body.run(i, worker);
            } catch (Throwable t) {
                if (job.failure == null) {
                    job.failure = t;
                }
            }
            if (job.done.incrementAndGet() == job.n) {
                LockSupport.unpark(job.caller);
            }
        }
    }

    private void workLoop(int worker) {
        Job seen = null;
        while (true) {
            Job job = current;
            if (job != seen) {
                seen = job;
                work(job, worker);
                continue;
            }
            for (int s = 0; s < SPINS && current == seen; s++) {
                Thread.onSpinWait();
            }
            synchronized (lock) {
                while (current == seen) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }
    }
}
