package dev.twophase.fault;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;

/**
 * Named places where a test can stop a process dead, as a power cut or {@code kill -9} would.
 *
 * <p>Disarmed (the production default) {@link #reach} is one comparison against null and does nothing.
 * Armed with a point name, the first time the process reaches that point it prints
 * {@code CRASH-POINT <name> tx=<txId>} on standard output and then, depending on the action, either halts the JVM
 * on the spot ({@link Action#HALT}: no shutdown hooks, no flushing) or freezes that thread for good
 * ({@link Action#HANG}) so that the test can send a real SIGKILL at exactly that instant.
 */
public final class CrashPoints {

    /** What an armed point does once reached. */
    public enum Action {
        /** {@code Runtime.halt}: the process ends at once, exit code 137 like a SIGKILL. */
        HALT,
        /** The reaching thread blocks forever; the test kills the process. Other threads keep running. */
        HANG,
        /**
         * The process stops itself with a real SIGSTOP (as a long GC pause or a frozen VM would stop it), the first time
         * only; when the test sends SIGCONT every thread goes on where it was, the reaching one past the point.
         */
        STOP
    }

    private static final CrashPoints DISARMED = new CrashPoints(null, Action.HANG, System.out);

    private final String armed;
    private final Action action;
    private final PrintStream out;

    public CrashPoints(String armed, Action action, PrintStream out) {
        this.armed = armed == null || armed.isBlank() ? null : armed.trim();
        this.action = Objects.requireNonNull(action, "action");
        this.out = Objects.requireNonNull(out, "out");
    }

    public static CrashPoints disarmed() {
        return DISARMED;
    }

    public boolean isArmed() {
        return armed != null;
    }

    /** Marks that the process has reached {@code point} while working on {@code txId}. */
    public void reach(String point, String txId) {
        if (armed == null || !armed.equals(point)) {
            return;
        }
        if (action == Action.STOP) {
            stopOnce(point, txId);
            return;
        }
        synchronized (this) {
            out.println("CRASH-POINT " + point + " tx=" + txId);
            out.flush();
            if (action == Action.HALT) {
                Runtime.getRuntime().halt(137);
            }
        }
        hangForever();
    }

    private boolean stopped;

    private synchronized void stopOnce(String point, String txId) {
        if (stopped) {
            return;
        }
        stopped = true;
        out.println("CRASH-POINT " + point + " tx=" + txId);
        out.flush();
        try {
            // The whole JVM stops here until SIGCONT; this thread then returns from waitFor and goes on.
            new ProcessBuilder(
                            "kill",
                            "-STOP",
                            Long.toString(ProcessHandle.current().pid()))
                    .inheritIO()
                    .start()
                    .waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send SIGSTOP to this process", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void hangForever() {
        CountDownLatch never = new CountDownLatch(1);
        while (true) {
            try {
                never.await();
            } catch (InterruptedException e) {
                // A frozen thread stays frozen: the point is that nothing after the crash point runs.
            }
        }
    }
}
