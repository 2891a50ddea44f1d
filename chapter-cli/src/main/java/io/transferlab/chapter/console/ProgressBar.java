package io.transferlab.chapter.console;

import java.io.PrintStream;

/**
 * A one-line progress bar for long steps, redrawn in place on a terminal and printed as plain lines otherwise
 * (logs stay readable in CI).
 */
public final class ProgressBar {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private final String label;
    private final boolean terminal;
    private int lastPrinted = -1;

    public ProgressBar(PrintStream out, String label) {
        this.out = out;
        this.label = label;
        this.terminal = System.console() != null;
    }

    /** Shows {@code done} of {@code total} with a note (e.g. the last epoch's accuracy). */
    public void update(int done, int total, String note) {
        int filled = total <= 0 ? 0 : Math.min(WIDTH, done * WIDTH / total);
        String line = String.format("%-28s [%s%s] %d/%d %s", label, "#".repeat(filled), ".".repeat(WIDTH - filled),
                done, total, note == null ? "" : note);
        if (terminal) {
            out.print("\r" + line);
            out.flush();
        } else if (done != lastPrinted) {
            out.println(line);
        }
        lastPrinted = done;
    }

    public void finish(String note) {
        if (terminal) {
            out.print("\r");
        }
        out.println(String.format("%-28s done %s", label, note == null ? "" : note));
    }
}
