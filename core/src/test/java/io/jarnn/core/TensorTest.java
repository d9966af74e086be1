package io.jarnn.core;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.jarnn.core.Rejections.assertRejected;
import static io.jarnn.core.Rejections.assertRejectedStatingTheBound;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TensorTest {

    private static Tensor iota(int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.array()[i] = i;
        }
        return t;
    }

    @Test
    void zerosHasTheShapeAndIsZero() {
        Tensor t = Tensor.zeros(2, 3, 4);
        assertArrayEquals(new int[]{2, 3, 4}, t.shape());
        assertEquals(3, t.rank());
        assertEquals(24, t.size());
        assertEquals(3, t.dim(1));
        assertEquals(0, t.offset());
        assertTrue(t.hasShape(2, 3, 4));
        assertFalse(t.hasShape(2, 12));
        for (float v : t.toArray()) {
            assertEquals(0f, v);
        }
        int[] shape = t.shape();
        shape[0] = 99;
        assertEquals(2, t.dim(0), "shape() returns a copy");
    }

    @Test
    void elementsAreRowMajor() {
        Tensor t = iota(2, 3, 4);
        // (i0, i1, i2) lives at (i0 * 3 + i1) * 4 + i2
        assertEquals((1 * 3 + 2) * 4 + 3, t.get(1, 2, 3));
        assertEquals((0 * 3 + 1) * 4 + 2, t.get(0, 1, 2));
        t.set(-5f, 1, 0, 1);
        assertEquals(-5f, t.array()[(1 * 3 + 0) * 4 + 1]);
        assertEquals(-5f, t.getFlat(13));
    }

    @Test
    void wrapSharesAndCopyOfCopies() {
        float[] data = {1, 2, 3, 4, 5, 6};
        Tensor wrapped = Tensor.wrap(data, 2, 3);
        Tensor copied = Tensor.copyOf(data, 3, 2);
        assertSame(data, wrapped.array());
        data[4] = 50;
        assertEquals(50f, wrapped.get(1, 1), "wrap is a view of the array");
        assertEquals(5f, copied.get(2, 0), "copyOf is a copy");
        Tensor of = Tensor.of(new float[][]{{1, 2, 3}, {4, 5, 6}});
        assertArrayEquals(new int[]{2, 3}, of.shape());
        assertEquals(6f, of.get(1, 2));
    }

    @Test
    void reshapeSliceAndRowAreViewsSharingStorage() {
        Tensor t = iota(4, 3, 2);
        Tensor flat = t.reshape(24);
        Tensor slice = t.slice(1, 3);
        Tensor row = t.row(2);
        assertSame(t.array(), flat.array());
        assertSame(t.array(), slice.array());
        assertSame(t.array(), row.array());
        assertArrayEquals(new int[]{2, 3, 2}, slice.shape());
        assertEquals(6, slice.offset(), "slice from 1 starts after one (3, 2) block");
        assertArrayEquals(new int[]{3, 2}, row.shape());
        assertEquals(12, row.offset());
        assertEquals(t.get(2, 1, 1), slice.get(1, 1, 1));
        assertEquals(t.get(2, 2, 0), row.get(2, 0));

        row.set(-1f, 0, 1);
        assertEquals(-1f, t.get(2, 0, 1), "a write through row() shows in the original");
        assertEquals(-1f, slice.get(1, 0, 1), "and in every other view");
        assertEquals(-1f, flat.get(13));
        slice.reshape(12).set(-2f, 0);
        assertEquals(-2f, t.get(1, 0, 0));

        Tensor rowOfSlice = slice.row(1).row(2);
        assertArrayEquals(new int[]{2}, rowOfSlice.shape());
        assertEquals(t.get(2, 2, 1), rowOfSlice.get(1));
        assertArrayEquals(new float[]{t.get(2, 2, 0), t.get(2, 2, 1)}, rowOfSlice.toArray(), "toArray of a view");
    }

    @Test
    void copyIsIndependentAndCopyFromFills() {
        Tensor t = iota(2, 2);
        Tensor c = t.row(1).copy();
        assertNotSame(t.array(), c.array());
        assertEquals(0, c.offset());
        t.set(100f, 1, 0);
        assertEquals(2f, c.get(0), "copy does not see later writes");
        Tensor target = Tensor.zeros(3, 2);
        target.row(2).copyFrom(Tensor.copyOf(new float[]{7, 8}, 2));
        assertArrayEquals(new float[]{0, 0, 0, 0, 7, 8}, target.toArray());
    }

    @Test
    void approxEqualsIsAbsoluteNearZeroAndRelativeForLargeValues() {
        Tensor a = Tensor.copyOf(new float[]{0f, 1000f, Float.NaN, Float.POSITIVE_INFINITY}, 4);
        assertTrue(a.approxEquals(Tensor.copyOf(new float[]{1e-7f, 1000.05f, Float.NaN, Float.POSITIVE_INFINITY}, 4), 1e-4),
                "within 1e-4 * max(1, |a|, |b|); NaN matches NaN, equal infinities match");
        assertFalse(a.approxEquals(Tensor.copyOf(new float[]{2e-4f, 1000f, Float.NaN, Float.POSITIVE_INFINITY}, 4), 1e-4),
                "2e-4 near zero exceeds the absolute 1e-4");
        assertFalse(a.approxEquals(Tensor.copyOf(new float[]{0f, 1000.2f, Float.NaN, Float.POSITIVE_INFINITY}, 4), 1e-4),
                "0.2 at 1000 exceeds the relative 1e-4");
        assertFalse(a.approxEquals(Tensor.copyOf(new float[]{0f, 1000f, 0f, Float.POSITIVE_INFINITY}, 4), 1e-4),
                "NaN against a number");
        assertFalse(a.approxEquals(a.reshape(2, 2), 1), "different shapes");
    }

    @Test
    void maxAbsDifferenceAndContentEquals() {
        Tensor a = Tensor.copyOf(new float[]{1, 2, 3}, 3);
        assertEquals(0.5, a.maxAbsDifference(Tensor.copyOf(new float[]{1, 2.5f, 2.75f}, 3)), 1e-9);
        assertTrue(Double.isNaN(a.maxAbsDifference(Tensor.copyOf(new float[]{1, Float.NaN, 3}, 3))));
        assertTrue(a.contentEquals(Tensor.copyOf(new float[]{1, 2, 3}, 3)));
        assertFalse(Tensor.copyOf(new float[]{0f}, 1).contentEquals(Tensor.copyOf(new float[]{-0f}, 1)), "0 vs -0 bitwise");
        assertTrue(Tensor.copyOf(new float[]{Float.NaN}, 1).contentEquals(Tensor.copyOf(new float[]{Float.NaN}, 1)));
        assertFalse(a.contentEquals(a.reshape(1, 3)), "shape is part of the content");
        assertRejected(() -> a.maxAbsDifference(Tensor.zeros(4)), "other", "(3,)", "(4,)");
    }

    /** Every number printed by toString, in order. */
    private static List<Float> numbersIn(String text) {
        Matcher m = Pattern.compile("-?\\d+\\.\\d+(e[-+]?\\d+)?").matcher(text);
        List<Float> found = new ArrayList<>();
        while (m.find()) {
            found.add(Float.parseFloat(m.group()));
        }
        return found;
    }

    @Test
    void toStringShowsTheShapeAndOneRowPerLine() {
        Tensor t = Tensor.of(new float[][]{{1.5f, -2f, 0.25f}, {3f, 1e-3f, -7.125f}});
        String text = t.toString();
        assertTrue(text.startsWith("Tensor(2, 3)"), text);
        assertEquals(2, text.split("\n").length, "one line per row: " + text);
        List<Float> numbers = numbersIn(text.substring("Tensor(2, 3)".length()));
        assertEquals(List.of(1.5f, -2f, 0.25f, 3f, 1e-3f, -7.125f), numbers, text);
        assertTrue(Tensor.zeros(3).toString().startsWith("Tensor(3,)"), Tensor.zeros(3).toString());

        String big = iota(100, 100).toString();
        assertTrue(big.startsWith("Tensor(100, 100)") && big.endsWith("...]") && big.length() < 200,
                "a large tensor prints its shape and a few values: " + big);
        Tensor view = iota(4, 2).row(3);
        assertEquals(List.of(6f, 7f), numbersIn(view.toString().substring("Tensor(2,)".length())), "a view prints its own elements");
    }

    @Test
    void badShapesAreRejected() {
        assertRejected(() -> Tensor.zeros(), "shape", "at least one dimension");
        assertRejected(() -> Tensor.zeros(2, 0), "shape", ">= 1", "(2, 0)");
        assertRejected(() -> Tensor.zeros(-1), "shape", "(-1,)");
        assertRejectedStatingTheBound(() -> Tensor.zeros(65536, 65536), "shape", "(65536, 65536)", "Java array");
        assertRejected(() -> Tensor.wrap(null, 2), "data", "null");
        assertRejected(() -> Tensor.wrap(new float[5], 2, 3), "data", "6 elements", "(2, 3)", "5");
        assertRejected(() -> Tensor.of(new float[][]{{1, 2}, {3}}), "values", "2 elements", "row 1");
        assertRejected(() -> Tensor.of(new float[0][]), "values", "non-empty");
    }

    @Test
    void reshapeMustKeepTheSize() {
        Tensor t = Tensor.zeros(2, 3);
        assertRejected(() -> t.reshape(4, 2), "newShape", "6 elements", "(2, 3)", "(4, 2)", "8");
        assertRejected(() -> t.reshape(6, 0), "newShape", ">= 1");
    }

    @Test
    void sliceAndRowOutOfRangeAreRejected() {
        Tensor t = Tensor.zeros(3, 2);
        assertRejected(() -> t.slice(-1, 2), "from", "from=-1");
        assertRejected(() -> t.slice(1, 4), "to", "<= 3", "to=4");
        assertRejected(() -> t.slice(2, 2), "from < to");
        assertRejected(() -> t.row(3), "to=4");
        assertRejected(() -> t.row(-1), "from=-1");
        assertRejected(() -> Tensor.zeros(3).row(0), "rank >= 2", "(3,)");
    }

    @Test
    void indicesOutOfRangeAreRejectedNeverOutOfBounds() {
        Tensor t = Tensor.zeros(2, 3);
        assertRejectedStatingTheBound(() -> t.get(2, 0), "index", "[2, 0]", "outside shape (2, 3)", "axis 0");
        assertRejectedStatingTheBound(() -> t.get(0, 3), "index", "[0, 3]", "(2, 3)", "axis 1");
        assertRejectedStatingTheBound(() -> t.get(0, -1), "index", "[0, -1]", "(2, 3)");
        assertRejected(() -> t.get(1), "2 indices", "got 1");
        assertRejected(() -> t.get(0, 0, 0), "2 indices", "got 3");
        assertRejectedStatingTheBound(() -> t.set(1f, 5, 5), "index", "[5, 5]", "(2, 3)");
        assertRejected(() -> t.getFlat(6), "0..5", "6");
        assertRejected(() -> t.getFlat(-1), "-1");
        assertRejected(() -> t.dim(2), "axis", "0..1", "2");
        // A view must not reach into its neighbours' storage.
        Tensor row = Tensor.zeros(3, 4).row(1);
        assertRejectedStatingTheBound(() -> row.get(4), "index", "[4]", "(4,)");
    }

    @Test
    void shapeChecksNameTheArgument() {
        Tensor t = Tensor.zeros(2, 3);
        assertSame(t, t.requireShape("x", 2, 3));
        assertRejected(() -> t.requireShape("x", 3, 2), "x", "(3, 2)", "(2, 3)");
        assertRejected(() -> t.requireShape("x", 2, 4), "x", "(2, 4)", "(2, 3)");
        assertRejected(() -> Tensor.zeros(2, 3, 1).requireShape("x", 2, 3), "x", "(2, 3)", "(2, 3, 1)");
        assertRejected(() -> Tensor.zeros(6).requireShape("x", 2, 3), "x", "(2, 3)", "(6,)");
        Tensor cube = Tensor.zeros(2, 3, 1);
        assertSame(cube, cube.requireShape("x", 2, 3, 1));
        assertRejected(() -> cube.requireShape("x", 2, 3, 2), "x", "(2, 3, 2)", "(2, 3, 1)");
        assertRejected(() -> cube.requireShape("x", 1, 3, 1), "x", "(1, 3, 1)", "(2, 3, 1)");
        assertRejected(() -> cube.requireShape("x", 2, 1, 1), "x", "(2, 1, 1)", "(2, 3, 1)");
        assertRejected(() -> t.requireShape("x", 2, 3, 1), "x", "(2, 3, 1)", "(2, 3)");
        assertRejected(() -> Tensor.zeros(2, 3, 1, 1).requireShape("x", 2, 3, 1), "x", "(2, 3, 1)", "(2, 3, 1, 1)");
        assertRejected(() -> t.requireRank("y", 3), "y", "rank-3", "(2, 3)");
        assertRejected(() -> t.copyFrom(Tensor.zeros(3, 2)), "source", "(2, 3)", "(3, 2)");
        assertEquals("(2, 3)", Shapes.format(2, 3));
        assertEquals("(7,)", Shapes.format(7), "a 1-tuple prints like NumPy's");
        assertRejected(() -> Shapes.requireAtLeast("batch", 0, 1), "batch", ">= 1", "0");
    }
}
