package dev.gan.nn;

import dev.gan.util.Parallel;

/**
 * A pass over a [rows x width] matrix split over gan's threads ({@link Parallel}) when the matrix is large. By
 * rows when each row is computed alone; by columns when the pass sums down the columns, so that every column is
 * still summed in the same order: either way the result does not depend on the thread count.
 */
final class Split {

    /** Below this many elements a pass runs on one thread: a split would cost more than it saves. */
    static final int MIN_ELEMENTS = 1 << 15;

    /** A pass over [from, to) rows or columns. */
    interface Range {
        void run(int from, int to);
    }

    /** A pass over [from, to) rows run as part {@code part} of the split (for working memory of its own). */
    interface PartRange {
        void run(int part, int from, int to);
    }

    private Split() {
    }

    static void byRows(int rows, int width, Range pass) {
        split(rows, (long) rows * width, pass);
    }

    static void byColumns(int rows, int width, Range pass) {
        split(width, (long) rows * width, pass);
    }

    /** How many parts {@link #inParts} splits {@code rows} rows of {@code width} into. */
    static int parts(int rows, int width) {
        return partsFor(rows, (long) rows * width);
    }

    /** Rows in {@code parts} parts (as {@link #parts} gave), each told its part number. */
    static void inParts(int rows, int parts, PartRange pass) {
        if (parts <= 1) {
            pass.run(0, 0, rows);
            return;
        }
        Parallel.run(parts, part -> pass.run(part, (int) ((long) rows * part / parts),
                (int) ((long) rows * (part + 1) / parts)));
    }

    private static void split(int length, long elements, Range pass) {
        inParts(length, partsFor(length, elements), (part, from, to) -> pass.run(from, to));
    }

    /** One part below {@link #MIN_ELEMENTS}, else {@link Parallel#parts()}, with at least 8 rows or columns each. */
    private static int partsFor(int length, long elements) {
        return elements < MIN_ELEMENTS ? 1 : Math.max(1, Math.min(Parallel.parts(), length / 8));
    }
}
